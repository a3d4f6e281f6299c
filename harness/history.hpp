// A run's history: every agent's events and how each agent ended. Plain data for the checker,
// which knows nothing of processes.
#pragma once

#include "ipch/agent_plan.hpp"
#include "ipch/event_log.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ipch {

// How an agent process ended, as the supervisor saw it.
enum class AgentEnd {
    finished,          // exit code 0
    error_exit,        // exit code != 0 (the agent recorded or printed why)
    crashed,           // killed by a signal it did not expect from the harness
    killed_at_timeout, // the harness killed it when the scenario's timeout expired
    killed_by_harness, // the harness killed it for another reason (interrupt, another failure)
    not_started,       // the spawn failed
};

std::string_view to_string(AgentEnd end);

// An error the scenario expects one of this agent's ops to record (`expect: errors:`): progress
// does not count it as a failure. `error` is a name from error_names.hpp.
struct ExpectedOpError {
    OpKind op = OpKind::open;
    std::string error;
};

struct AgentHistory {
    std::uint32_t agent_id = 0;
    std::string name;
    std::string group;
    AgentEnd end = AgentEnd::finished;
    int exit_code = 0;           // with error_exit
    int signal = 0;              // with crashed / killed_*
    bool expected_crash = false; // a crash op in its ops, or listed in `expect: crashes:`
    std::vector<ExpectedOpError> expected_errors;
    // Its ops ask for the lock under test (the run sets this from the plan): fairness and the
    // lock's figures count only such agents, a starved one as 0.
    bool shares_lock = true;

    // The events, in the agent's own order. `storage` keeps whatever backs them alive (a
    // vector, or a mapped log file).
    std::span<const EventRecord> events;
    std::shared_ptr<const void> storage;

    LogStatus log_status = LogStatus::running;
    std::string log_damage; // empty when the log was whole; else what was wrong with it
    // What the agent read its times from and how far they may be off CLOCK_MONOTONIC (its log
    // header's clock_report, a provisional one's error_ns widened to its bound at the log's
    // latest time; all zero, i.e. clock_gettime, for other histories).
    LogClock clock{};

    std::vector<std::string> op_labels; // op id -> readable label, for evidence
    // Op ids of the agent's opens in open_existing mode (0: its open at start), from its plan;
    // empty for histories that do not come from a run. open-missing tells by them an open that
    // should have found nothing from one that may create.
    std::vector<std::uint32_t> open_existing_ops;

    // Where the agent was when it ended, as the harness's control object last saw it: whether
    // it had passed the start barrier, and the op it had started last. Unknown (nullopt) for
    // histories that do not come from a run (external tools, tests).
    std::optional<bool> released;
    std::uint32_t current_op = 0;
};

// How far apart two agents' times of one instant may be from their clocks alone: the largest
// error bound an agent's log states (0 when every agent read CLOCK_MONOTONIC). The run's checks
// compare times across agents with at least this tolerance (CheckOptions::tolerance_ns).
inline std::uint64_t clock_tolerance_ns(const std::vector<AgentHistory>& agents) {
    std::uint64_t tolerance = 0;
    for (const AgentHistory& agent : agents)
        tolerance = std::max(tolerance, agent.clock.error_ns);
    return tolerance;
}

// A named object of the run as the harness found it after every agent ended and before its
// clean-up removed it: whether it persists, its mode, and what the mapping still holds.
struct ObjectObservation {
    std::string role;  // "mapping" or "mutex"
    std::string kind;  // the mapping's or mutex's kind: shm, file, xsi, named_mutex, ...
    std::string name;  // the object's name in the plan
    std::string where; // /dev/shm/NAME, RUN_DIR/NAME.mapping, or "xsi key 0x..."
    // The run made it: not a fixed name that existed before the run (a `reuse` run's).
    bool created_by_run = true;
    bool exists_after = false;
    std::optional<std::uint32_t> mode;   // st_mode & 0777 (shm_perm.mode & 0777), when it exists
    std::optional<std::uint64_t> size;   // bytes, when it exists
    std::uint32_t requested_mode = 0600; // what the plan asked its creator for
    std::uint64_t requested_size = 0;    // the mapping's planned size; 0: unknown, or the mutex
    // The mapping only, when it could be read: its tail guard and MappingHeader::reserved read as
    // zero; and whether it still holds a message (MessageHeader::writer != 0).
    std::optional<bool> guard_intact;
    std::optional<bool> holds_message;
    std::string detail; // readable: what was read, or why it could not be
};

struct History {
    std::vector<AgentHistory> agents; // agent_id == index + 1
    std::uint64_t payload_capacity = 0;
    // The run's mutex kind, when the history comes from a run (not from external tools or tests).
    std::optional<MutexKind> mutex_kind;
    // The run's named objects after every agent ended (empty for histories that do not come
    // from a run): the mapping, then the mutex when its kind has an object of its own.
    std::vector<ObjectObservation> objects;
};

// An AgentHistory over events held in memory (tests, synthetic histories).
AgentHistory make_agent_history(std::uint32_t agent_id, std::string name,
                                std::vector<EventRecord> events);

// Reads one agent's event log file. A missing, truncated or damaged log yields the valid prefix
// of its records and a description of the damage in log_damage, never an exception.
AgentHistory read_agent_log(const std::string& path, std::uint32_t agent_id);

// Reads an external agent's event file: JSON lines, one event per line, an optional closing
// {"status": ...} line (docs/agent-protocol.md). Damage (a truncated last line, a line that is
// not JSON, a field of the wrong type) ends the reading: the events before it are kept and
// log_damage says what was wrong, never an exception.
AgentHistory read_agent_jsonl(const std::string& path, std::uint32_t agent_id);

} // namespace ipch
