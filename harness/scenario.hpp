// A scenario file, loaded and validated: plain data, and the one entry point that makes it.
#pragma once

#include "ipch/agent_plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ipch {

struct SourcePos {
    std::string file;
    int line = 0; // 1-based; 0 when the problem concerns the whole file
    int column = 0;
};

// One problem with a scenario file. `message` reads "error: what is wrong; expected ...".
struct ScenarioError {
    SourcePos pos;
    std::string message;
};

// "file:line:col: error: ..." (or "file: error: ..." without a position).
std::string format_error(const ScenarioError& error);

// One op as the scenario file states it, with where it stands in the file.
struct OpSpec : OpFields {
    SourcePos pos;
    std::vector<OpSpec> ops; // repeat
};

struct AgentSpec {
    SourcePos pos;
    std::string name;
    std::uint32_t count = 1; // instances; named name-1..name-N when count > 1
    std::string role;        // a free-form label (sender, receiver, ...), carried in the plan
    OpenMode open_mode = OpenMode::create_or_open;
    // The group's own mutex kind, where the run's allows mixing (none: a group that skips the
    // lock, a partial negative control); nullopt: the run's.
    std::optional<MutexKind> mutex_kind;
    SourcePos mutex_pos;
    // An external agent: the program and its arguments, run instead of ipc-agent
    // (docs/agent-protocol.md). Empty: the built-in agent.
    std::vector<std::string> command;
    // Seeded faults the group's agents inject (docs/scenarios.md, `faults`); empty: none.
    std::vector<FaultSpec> faults;
    std::vector<OpSpec> ops;
};

// The names an agent group's processes run under: its name, or NAME-1..NAME-N when count > 1.
std::vector<std::string> instance_names(const AgentSpec& agent);

struct MappingSpec {
    MappingKind kind = MappingKind::shm;
    std::optional<std::string> name; // a fixed name (the classic's); else ipch-<run>-map
    std::uint64_t size = 4096;
};

struct MutexSpec {
    MutexKind kind = MutexKind::named_mutex;
    std::optional<std::string> name; // a fixed name; else ipch-<run>-mtx
};

// What must hold. With neither list given, every property that applies must hold; once either
// is given, exactly the listed properties are required (the rest are reported for information).
// An error the scenario expects an op to record (an open_existing of a missing name, say).
struct ExpectedError {
    SourcePos pos;
    std::string agent; // a group or agent name
    std::string op;    // an op kind: open, write, ...
    std::string error; // an error name from docs/scenarios.md: "not found", "too large", ...
};

// Figures the run must reach; each one given becomes a requirement of its own.
struct Thresholds {
    std::optional<double> min_throughput;         // critical sections per second, all agents
    std::optional<std::uint64_t> max_wait_p99_ns; // lock wait, 99th percentile
    std::optional<std::uint64_t> max_wait_ns;     // lock wait, the longest
    // The fairness property's demands rather than rows of their own (docs/properties.md).
    std::optional<double> min_fairness;         // Jain's index of acquisitions per agent
    std::optional<std::uint64_t> max_overtakes; // sections that may overtake one waiter
};

struct Expectations {
    std::vector<std::string> hold;
    bool hold_all = false; // `hold: all`: every property not in `fail` that applies must hold
    std::vector<std::string> fail; // a negative control: these must be caught failing
    Thresholds thresholds;
    std::vector<std::string> crashes; // groups or agents that must crash (besides crash ops)
    std::vector<ExpectedError> errors;

    // `hold` or `fail` was given (the loader refuses empty lists): exactly what they name is
    // required, the other properties are information.
    bool lists_properties() const { return hold_all || !hold.empty() || !fail.empty(); }
};

// What a `kind: stress` file sweeps (docs/stress.md): one case per backend x agent count x
// repeat, each agent repeating one critical section (a write of the payload, held for the hold
// time) for the warmup and then the measured duration. `ipc-harness stress` fills it from its
// options; a scenario file from its keys.
struct StressSpec {
    std::vector<MutexKind> backends{MutexKind::named_mutex};
    MappingKind mapping = MappingKind::shm;
    std::vector<std::uint32_t> agents{1, 2, 4, 16};
    std::uint64_t duration_ns = 2'000'000'000;
    std::uint64_t warmup_ns = 0;
    std::uint64_t hold_ns = 0;
    std::uint64_t payload_bytes = 64;
    std::uint32_t repeat = 1;
    bool pin = false; // each agent on one core (agent i on core i mod cores)
    // Timing (docs/stress.md, "Timing modes"): sampled stamps every sample_every-th section and
    // counts all; full stamps and records every one.
    TimingMode timing = TimingMode::sampled;
    std::uint32_t sample_every = default_sample_every;
    ClockChoice clock = ClockChoice::automatic;
};

// One value of a matrix parameter, as the case uses it.
struct CaseParameter {
    std::string name;    // the matrix key, e.g. agents
    std::string value;   // the value's text, as written
    bool quoted = false; // written quoted (or tagged): a string even when it looks like a number
};

// One case of a scenario file: the whole file for one combination of the matrix's values (a
// file without a matrix has one case).
struct Scenario {
    std::string path; // as given on the command line
    std::string name; // the file's `name`, or its stem
    // `name`, then the case's values: "contention[agents=4,mutex=none]"; `name` alone when the
    // file has no matrix. Reports know a case by it.
    std::string case_name;
    std::vector<CaseParameter> parameters; // in the matrix's key order; empty without a matrix
    std::string description;
    MappingSpec mapping;
    MutexSpec mutex;
    // The mode of every object the run's agents create (the mapping, the mutex's object):
    // owner-only unless the file widens it.
    std::uint32_t permissions = 0600;
    bool reuse = false; // fixed names may already exist
    std::uint64_t timeout_ns = 60'000'000'000;
    std::vector<AgentSpec> agents;
    Expectations expect;
    // `kind: stress`: the sweep this case runs instead of `agents` (which is then empty).
    std::optional<StressSpec> stress;
};

// Documented limits (docs/scenarios.md); the loader rejects anything beyond them.
inline constexpr std::uint64_t max_mapping_size = 1ull << 30;
inline constexpr std::uint64_t max_agents = 256;
inline constexpr std::uint64_t max_repeat_count = 100'000'000;
inline constexpr int max_repeat_depth = 8;
inline constexpr std::uint64_t max_duration_ns = 24ull * 3600 * 1'000'000'000;
inline constexpr std::size_t max_name_length = 200;
// A fixed name becomes one path component: /dev/shm/NAME (an shm mapping, a file_lock's file),
// /dev/shm/sem.NAME (named_mutex and named_semaphore: glibc's sem_open), RUN_DIR/NAME.mapping (a
// file mapping), LOCK_DIR/NAME.lock (the harness's name lock). The kernel takes at most NAME_MAX
// (255) bytes in one; tests/unit/run/name_limits_test.cpp creates each kind at this length.
static_assert(max_name_length + sizeof(".mapping") - 1 <= 255, "a fixed name must fit NAME_MAX");
inline constexpr std::size_t max_matrix_cases = 1000;
// A stress sweep's limits (`ipc-harness stress` and `kind: stress` alike).
inline constexpr std::uint64_t max_stress_payload = max_mapping_size - 4096;
inline constexpr std::uint64_t max_stress_repeat = 1000;
inline constexpr std::uint64_t max_sample_every = 1'000'000;

// Every case of one file, in matrix order, or every problem found in it.
using LoadResult = std::variant<std::vector<Scenario>, std::vector<ScenarioError>>;

// Loads and validates one scenario file and expands its matrix into cases. Every problem found
// is returned, in file order; a problem of some cases only names them. Nothing is created.
LoadResult load_scenario(const std::string& path);

// The same for a file's text already in memory; `path` only names it in the problems (and gives
// the scenario's default name). The scenario loader's fuzz target enters here.
LoadResult load_scenario_text(const std::string& text, const std::string& path);

// Parses a duration such as "5s", "250ms", "10us", "100ns", "2m", "1.5s"; nullopt if invalid.
std::optional<std::uint64_t> parse_duration_ns(const std::string& text);

} // namespace ipch
