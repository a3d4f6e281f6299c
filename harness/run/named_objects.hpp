// The named OS objects of a run: existence checks, removal, and the guard that removes them on
// every exit path.
#pragma once

#include "ipch/control_block.hpp"
#include "plan.hpp"

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cstdint>
#include <optional>
#include <string>

namespace ipch {

// Where the run's objects live. The mapping: /dev/shm/NAME (shm) or RUN_DIR/NAME.mapping
// (file); empty for an xsi segment, which has a key, no path (xsi_key_text). The mutex's own
// object: ipch::mutex_object_path (agent_plan.hpp), which the agents use too.
std::string mapping_path(const Plan& plan);
std::string mutex_object_path(const Plan& plan);

// The run's mapping, of its kind: whether it exists, and how a person removes it by hand.
bool mapping_exists(const Plan& plan);
std::string mapping_removal_hint(const Plan& plan);

// Which of the plan's fixed-name objects exist before the run creates anything. Only fixed
// names can: ipch-<run>-* names are new with every run. An xsi mapping's key is a hash of its
// name, though, so another program's segment may hold it whatever the name: it is looked for
// too (and then refused, as a fixed name without `reuse` would be).
struct PreexistingObjects {
    bool mapping = false;
    bool mutex = false;
};
PreexistingObjects find_preexisting(const Plan& plan);

// Whether the file system the run's objects live in (/dev/shm, or the run directory for a file
// mapping) has room for the mapping and the control object of `control_size` bytes; when not,
// why. Checked before anything is created: a tmpfs accepts an ftruncate it cannot back, and the
// agent that first writes there dies of SIGBUS instead of failing an open.
std::optional<std::string> check_room(const Plan& plan, std::uint64_t control_size);

// Removes every object of the run (mapping, mutex, control) when it goes out of scope, or
// earlier by remove_all(). Objects that existed before the run (a `reuse` run's) are not the
// run's and stay. Removing what does not exist is not an error.
class RunObjectsGuard {
  public:
    RunObjectsGuard(const Plan& plan, PreexistingObjects preexisting)
        : plan_(plan), keep_(preexisting) {}
    RunObjectsGuard(const RunObjectsGuard&) = delete;
    RunObjectsGuard& operator=(const RunObjectsGuard&) = delete;
    ~RunObjectsGuard() { remove_all(); }
    void remove_all();

  private:
    const Plan& plan_;
    PreexistingObjects keep_;
};

// The harness's side of the control object: creates it (owner-only), and maps it.
class ControlObject {
  public:
    // Throws std::runtime_error naming the object and the OS's reason.
    ControlObject(const std::string& name, std::uint32_t agent_count, std::uint32_t barrier_count);
    ControlObject(const ControlObject&) = delete;
    ControlObject& operator=(const ControlObject&) = delete;

    ControlBlock& block() const { return *block_; }

  private:
    boost::interprocess::shared_memory_object object_;
    boost::interprocess::mapped_region region_;
    ControlBlock* block_ = nullptr;
};

} // namespace ipch
