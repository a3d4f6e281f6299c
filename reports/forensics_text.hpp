// A timeout's forensics and the chaos a run saw, as lines of text: the same in the console
// report and in JUnit's system-out (the JSON report has them as objects).
#pragma once

#include "results.hpp"

#include <string>
#include <vector>

namespace ipch {

// "timeout after 1 s: worker-2 holds the lock (owner word 0x1a2b0002), stopped", then one line
// per agent: its state, op, last event, how long it has been there, its process.
std::vector<std::string> forensics_lines(const HangForensics& hang);

// "chaos: SIGKILL worker-1 at 0.051 s, inside the lock", one per signal sent.
std::vector<std::string> chaos_lines(const std::vector<ChaosAction>& chaos);

// Both, as one text (a line each), for a report's free-text field; "" when there are none.
std::string run_notes_text(const ScenarioResult& scenario);

} // namespace ipch
