// Turns what the supervisor saw at a timeout, and the agents' logs read after, into the report's
// hang forensics.
#pragma once

#include "hang_forensics.hpp"
#include "history.hpp"
#include "plan.hpp"
#include "run/supervisor.hpp"

namespace ipch {

// The holder is the agent the owner word names; without one (unreadable, zero, or a word of no
// agent: an agent killed between the acquire and its write of the word), the agent whose log
// ends with an acquire (lock, try_lock, timed_lock) and no unlock after it.
HangForensics report_hang(const Plan& plan, const TimeoutSnapshot& at_timeout,
                          const History& history);

} // namespace ipch
