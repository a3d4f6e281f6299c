// The run registry: which runs are alive, so that `ipc-harness clean` removes the objects of
// dead runs only. A run is registered by a lock file (name_lock.hpp) that it holds for its whole
// length: the kernel drops the lock when the controller dies, however it dies. The file also
// records the run's objects, for a person and for `clean`.
#pragma once

#include "plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ipch {

// The lock (and registry entry) name of a run: "ipch-<run-id>".
std::string registry_lock_name(const std::string& run_id);

// Run ids made by seeded_run_id ("s" and 12 hex digits); the others start with the pid.
bool is_seeded_run_id(const std::string& run_id);

// The controller's pid a run id starts with (new_run_id); nullopt for a seeded id.
std::optional<int> pid_of_run_id(const std::string& run_id);

// What the registry records of a run, one "key value" per line.
std::string run_record(const Plan& plan);

// One leftover object of a run: where it is and how to remove it.
struct Leftover {
    std::string what; // "/dev/shm/ipch-...-map", "xsi segment 0x49...", ...
    std::string path; // a file to unlink; empty for an xsi segment
    int xsi_id = -1;  // the segment to remove (IPC_RMID)
};

struct RunLeftovers {
    std::string run_id;
    bool alive = false;
    std::string why; // why it counts as alive or dead
    std::vector<Leftover> objects;
};

// Every run that left something behind in /dev/shm, System V shared memory or the registry,
// alive or dead. Looks only; removes nothing.
std::vector<RunLeftovers> find_leftovers();

// Removes a dead run's objects and its registry entry; returns what could not be removed.
std::vector<std::string> remove_leftovers(const RunLeftovers& run);

} // namespace ipch
