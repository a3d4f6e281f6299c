// The supervisor: drives the open phases and the start barrier through the control object,
// then watches the agents until every one has ended, the timeout expires, or a signal arrives.
#pragma once

#include "ipch/control_block.hpp"
#include "plan.hpp"
#include "run/agent_process.hpp"

#include <vector>

namespace ipch {

// Returns once every agent has ended (or been stopped: at the timeout, on a signal); returns
// the interrupting signal, or 0. How each agent ended is in `agents`.
int supervise(const Plan& plan, ControlBlock& block, std::vector<AgentProcess>& agents);

// Tells agents waiting at the open, the start barrier or a scenario barrier to leave (they
// re-check `abort` when woken), before they are killed anyway.
void abort_agents(ControlBlock& block);

} // namespace ipch
