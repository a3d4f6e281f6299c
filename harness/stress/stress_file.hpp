// A `kind: stress` scenario file run by `ipc-harness run`: its sweep's cases, each one run as
// `ipc-harness stress` runs it, and reported as a case of the run (console, JUnit, JSON) with
// its figures, verdicts and clock.
#pragma once

#include "results.hpp"
#include "scenario.hpp"
#include "stress/run_case.hpp"

#include <vector>

namespace ipch::stress {

// The sweep's case keys: repeats outermost, then backends, then agent counts, as the command.
std::vector<CaseKey> case_keys(const StressConfig& config);

// What `list` shows of a scenario: itself, or for `kind: stress` one copy per case of its
// sweep, named as its result will be, its sweep narrowed to that backend and agent count.
std::vector<Scenario> listed_cases(const Scenario& scenario);

// One result per case of the scenario's sweep (its `stress`), in case_keys order; stops early,
// with the cases run so far, when an interrupt is pending.
std::vector<ScenarioResult> run_stress_file(const Scenario& scenario, const RunSettings& settings);

// A case as a result of the run: named NAME[backend=..,agents=..,repeat=..] (the matrix's
// values first); passed when no property failed and every threshold of the file's `expect` was
// met, failed otherwise (each property that passed or failed must hold; not-applicable and
// unknown are information), a harness error when it could not run.
ScenarioResult stress_result(const Scenario& scenario, const StressCase& stress_case);

} // namespace ipch::stress
