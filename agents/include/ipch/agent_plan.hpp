// One agent's plan: what the harness tells an agent to do. Written by the harness as a JSON
// file in the run directory (its path is the agent's last argument, and IPCH_PLAN), read by the
// agent: ipc-agent, or an external agent in any language.
// docs/agent-protocol.md documents the JSON form.
#pragma once

#include "ipch/event_log.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ipch {

inline constexpr int agent_plan_version = 2;

enum class OpenMode { create_only, create_or_open, open_existing };
// named_mutex: Boost named_mutex (a POSIX semaphore); interprocess_mutex: Boost
// interprocess_mutex in the mapping's lock area; robust_mutex: a robust process-shared pthread
// mutex in the lock area; named_semaphore: Boost named_semaphore (count 1) as a binary lock;
// file_lock: Boost file_lock, an fcntl lock on the file lock_file_path(name), which programs
// outside the harness can take too; spin: an atomic flag in the lock area; none: no lock (a
// negative control). docs/agent-protocol.md gives the lock area's layout.
enum class MutexKind {
    named_mutex,
    interprocess_mutex,
    robust_mutex,
    named_semaphore,
    file_lock,
    spin,
    none
};
// shm: a POSIX shared-memory object; file: a file in the run directory (mapping_path), mapped
// shared; xsi: a System V shared-memory segment (mapping_key).
enum class MappingKind { shm, file, xsi };
// Every kind, in the order reports and error messages list them.
inline constexpr std::array<MutexKind, 7> all_mutex_kinds{
    MutexKind::named_mutex,  MutexKind::interprocess_mutex,
    MutexKind::robust_mutex, MutexKind::named_semaphore,
    MutexKind::file_lock,    MutexKind::spin,
    MutexKind::none};
inline constexpr std::array<MappingKind, 3> all_mapping_kinds{MappingKind::shm, MappingKind::file,
                                                              MappingKind::xsi};
// How an agent writes its events: the built-in agent's crash-safe binary log (event_log.hpp), or
// JSON lines, one event per line, which any program can write (docs/agent-protocol.md).
enum class LogFormat { binary, jsonl };
// How much of each op the agent stamps (docs/stress.md, "Timing modes"). full: every op its times
// (requested, acquired, released) and its event, for correctness runs. sampled: a write or hold
// that is a critical section of its own is stamped and recorded on every k-th instance only; the
// others run the same lock, write and unlock, are counted, and are recorded as one `tally` event
// per op after its repeat (event_flag::tally), for throughput sweeps.
enum class TimingMode { full, sampled };
// Which clock the agent stamps with: automatic takes the TSC, calibrated to CLOCK_MONOTONIC ns,
// where it is invariant, CLOCK_MONOTONIC otherwise; monotonic always reads CLOCK_MONOTONIC.
enum class ClockChoice { automatic, monotonic };
inline constexpr std::uint32_t default_sample_every = 64;

// Where a crash op kills its agent: before it asks for the lock; holding it (after the stamp);
// in the middle of a write (half the payload copied, the header already new); just after the
// unlock.
enum class CrashPoint { before_lock, holding_lock, mid_write, after_unlock };

// Seeded faults (docs/properties.md, "Seeded faults"): the built-in agent can play a buggy IPC
// library, so that a test can show the checker catches each bug. Each mimics a real one and
// records its events as that library would claim them: nothing in the history says a fault ran.
//   skip_lock: an op runs its critical section without taking the mutex;
//   early_release: a write publishes the header, unlocks, then copies the payload;
//   torn_write: a write copies half the payload and the header, unlocks, yields, copies the rest;
//   stale_read: a read serves a cached copy (the first message the fault served) instead;
//   lost_increment: an increment reads the counter, unlocks, relocks, writes value + 1;
//   double_unlock: a section unlocks twice (a semaphore's count goes to 2);
//   classic: the classic app's bug, an agent that did not create the mutex never locks it.
enum class FaultKind {
    skip_lock,
    early_release,
    torn_write,
    stale_read,
    lost_increment,
    double_unlock,
    classic
};

// A fault the agent injects: into each op it applies to, with this probability.
struct FaultSpec {
    FaultKind kind = FaultKind::skip_lock;
    double probability = 1.0; // [0, 1], drawn per op from the agent's seed
};

inline constexpr FaultKind fault_kinds[] = {FaultKind::skip_lock,      FaultKind::early_release,
                                            FaultKind::torn_write,     FaultKind::stale_read,
                                            FaultKind::lost_increment, FaultKind::double_unlock,
                                            FaultKind::classic};

std::string_view to_string(OpenMode mode);
std::string_view to_string(MutexKind kind);
std::string_view to_string(MappingKind kind);
std::string_view to_string(LogFormat format);
std::string_view to_string(CrashPoint point);  // before-lock, holding-lock, ...
std::string_view to_string(FaultKind kind);    // skip-lock, early-release, ...
std::string_view to_string(TimingMode mode);   // full, sampled
std::string_view to_string(ClockChoice clock); // auto, monotonic

// What one op does, as a scenario states it and a plan carries it: the scenario's OpSpec and
// the plan's PlanOp both build on it, so a new op field reaches the agent without a copy step.
struct OpFields {
    bool is_repeat = false;
    OpKind kind = OpKind::sleep; // leaf ops only
    // write: payload template; read: expected text; wait_for: awaited text; barrier: its name
    std::string text;
    bool has_expect = false;       // read: compare what was read with `text`
    bool expect_any_valid = false; // read: any whole message (or the empty mapping) is fine
    std::uint64_t size = 0;        // write {size, pattern}: payload bytes (text is then empty)
    std::string pattern;           // write {size, pattern}: a template repeated to fill `size`
    // hold, sleep (its minimum with jitter); wait_for, timed_lock: the timeout; repeat: how long
    // to repeat when count is 0
    std::uint64_t duration_ns = 0;
    std::uint64_t max_duration_ns = 0; // sleep {min, max}: drawn in [duration_ns, this]
    std::uint64_t count = 0;           // repeat: iterations; 0 with duration_ns: repeat for a time
    OpenMode open_mode = OpenMode::create_or_open; // open
    CrashPoint crash_at = CrashPoint::before_lock; // crash
    std::vector<std::string> from;   // wait_for: a message written by one of these agents/groups
    std::vector<std::string> groups; // barrier: the groups that meet (empty: every agent)
};

// One op of the plan. Leaf ops carry an OpKind; a repeat carries a count and child ops.
struct PlanOp : OpFields {
    std::uint32_t id = 0;    // pre-order index in the agent's op tree; events refer to it
    std::vector<PlanOp> ops; // repeat
    std::vector<std::uint32_t> from_ids; // wait_for from: the writers' agent ids
    std::uint32_t barrier = 0;           // barrier: index into AgentPlan::barriers
};

// A barrier of the run: which agents meet there (0-based agent indices, as in the control
// block's slots).
struct BarrierPlan {
    std::string name;
    std::vector<std::uint32_t> participants;
};

// Everything in a plan follows from the scenario, the run id and the seed: the same inputs give
// the same file, byte for byte. What differs between runs of one plan (the controller's pid,
// IPCH_HARNESS_PID) reaches the agent through its environment.
struct AgentPlan {
    int version = agent_plan_version;
    std::string run_id;
    std::uint32_t agent_id = 0; // from 1
    std::string agent_name;     // unique in the run: group name, plus -N when count > 1
    std::string group;
    std::string role;              // the group's free-form role label, if it has one
    std::uint32_t agent_index = 0; // 0-based slot in the control block
    std::uint64_t seed = 0;        // this agent's random choices (sleep jitter) derive from it

    MappingKind mapping_kind = MappingKind::shm;
    std::string mapping_name;
    std::string mapping_path;     // file kind: the file, relative to the plan file's folder
    std::int32_t mapping_key = 0; // xsi kind: the segment's System V key (xsi_key_for)
    std::uint64_t mapping_size = 0;
    std::uint64_t lock_bytes = 0; // the mapping's lock area, the same for every agent of a run
    OpenMode open_mode = OpenMode::create_or_open;
    MutexKind mutex_kind = MutexKind::named_mutex;
    std::string mutex_name;
    std::uint32_t permissions = 0600; // mode of the objects this agent creates

    std::string control_name; // the harness's coordination object (start barrier, barriers)
    std::uint32_t agent_count = 0;
    std::uint64_t start_timeout_ns = 0; // how long to wait for the start barrier

    std::vector<BarrierPlan> barriers;

    // Seeded faults for the built-in agent, each kind at most once; empty in a correct run.
    std::vector<FaultSpec> faults;

    // Timing (the JSON's "timing" object, written only when not full and auto).
    TimingMode timing = TimingMode::full;
    std::uint32_t sample_every = 1; // sampled: every this-many-th instance of an op is stamped
    ClockChoice clock = ClockChoice::automatic;

    std::string log_path;           // relative to the plan file's directory (the run directory)
    std::uint64_t log_capacity = 0; // records to preallocate (the log grows beyond it if needed)
    LogFormat log_format = LogFormat::binary; // jsonl for external agents

    std::vector<PlanOp> ops;

    // Not in the JSON: the plan file's folder, which relative paths start from (set by whoever
    // read the plan; empty: the working directory).
    std::string base_dir;
};

// What an agent writes into the mapping's owner word while it is inside the critical section:
// a 16-bit salt from the run id, then the agent id. An owner word left by another run (a reused
// mapping whose holder died) has another salt, so it is never taken for one of this run's agents.
std::uint32_t owner_token(const AgentPlan& plan);

// The file the file_lock kind locks: /dev/shm/NAME, beside the run's other objects, where the
// harness's clean-up and leftover checks look.
std::string lock_file_path(const std::string& mutex_name);

// The file behind a mutex kind's own named object: /dev/shm/sem.NAME for the POSIX semaphores
// (named_mutex, named_semaphore: glibc keeps them there), lock_file_path(NAME) for file_lock;
// empty for the kinds without one (has_named_object).
std::string mutex_object_path(MutexKind kind, const std::string& mutex_name);

// An xsi key as reports and messages print it: 0x and 8 hex digits.
std::string xsi_key_text(std::int32_t key);

// The file of a `file` mapping, relative to the run directory: NAME.mapping.
std::string mapping_file_name(const std::string& mapping_name);

// The System V key of an `xsi` mapping: 0x49 ("I") in the top byte, then the low 24 bits of
// FNV-1a (32-bit) of the mapping's name. Derived from the name (which holds the run id unless
// the scenario fixes it), not ftok'd from a file: ftok folds an inode into 16 bits, so two files
// can share a key, and the key must be known before any file exists.
std::int32_t xsi_key_for(const std::string& mapping_name);

// Whether a mutex kind lives in the mapping's lock area (and so has no name of its own).
bool lives_in_mapping(MutexKind kind);

// Whether a mutex kind is a named object of its own that an open creates or finds
// (named_mutex, named_semaphore, file_lock).
bool has_named_object(MutexKind kind);

// Text templates: {agent} is the agent's name, {group} its group, {id} its id, {seq} the
// agent's count of its own writes (from 1), {run} the run id.
std::string expand_template(const std::string& text, const AgentPlan& plan, std::uint64_t seq);

std::string plan_to_json(const AgentPlan& plan);

// Throws std::runtime_error with a readable message when `json` is not a valid plan.
AgentPlan plan_from_json(const std::string& json);

} // namespace ipch
