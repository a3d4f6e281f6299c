// The supervisor: drives the open phases and the start barrier through the control object,
// then watches the agents until every one has ended, the timeout expires, or a signal arrives.
#pragma once

#include "ipch/control_block.hpp"
#include "plan.hpp"
#include "run/agent_process.hpp"
#include "run/chaos.hpp"
#include "run/mapping_peek.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace ipch {

// One agent as the supervisor saw it when the timeout expired, before it killed anything.
struct AgentAtTimeout {
    std::uint32_t state = 0; // AgentState, from the control object
    std::uint32_t op_id = 0; // the op it was executing
    std::uint64_t t_state_ns = 0;
    char process_state = '?'; // /proc/PID/stat: R running, S sleeping, T stopped, Z ended, ...
};

// What a timeout found: the evidence of a hang (report_hang turns it into the report's
// forensics once the logs are read).
struct TimeoutSnapshot {
    std::uint64_t t_ns = 0;                  // CLOCK_MONOTONIC, the agents' event clock
    std::optional<std::uint32_t> owner_word; // nullopt: the mapping could not be read
    std::vector<AgentAtTimeout> agents;      // in plan order
};

// What supervision may do beside watching: chaos, and what it found at a timeout.
struct Supervision {
    MappingPeek* peek = nullptr;
    Chaos* chaos = nullptr; // none without --chaos
    std::optional<TimeoutSnapshot> at_timeout;
};

// Returns once every agent has ended (or been stopped: at the timeout, on a signal); returns
// the interrupting signal, or 0. How each agent ended is in `agents`.
int supervise(const Plan& plan, ControlBlock& block, std::vector<AgentProcess>& agents,
              Supervision& supervision);

// Tells agents waiting at the open, the start barrier or a scenario barrier to leave (they
// re-check `abort` when woken), before they are killed anyway.
void abort_agents(ControlBlock& block);

} // namespace ipch
