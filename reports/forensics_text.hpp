// A timeout's forensics and the chaos a run saw, as lines of text: the same in the console
// report and in JUnit's system-out (the JSON report has them as objects).
#pragma once

#include "results.hpp"

#include <string>
#include <vector>

namespace ipch {

// A timeout's forensics, "timeout after 1 s: worker-2 holds the lock (owner word 0x1a2b0002),
// alive" and a line per agent (its state, op, last event, how long it has been there, its
// process); then the chaos signals sent, "chaos: SIGKILL worker-1 at 0.051 s, inside the lock",
// one a line. None when the run neither timed out nor saw chaos.
std::vector<std::string> run_notes(const ScenarioResult& scenario);

} // namespace ipch
