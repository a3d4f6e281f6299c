// Running one case of a scenario file: plan, run its agents, check the history, evaluate the
// expectations, and keep or remove its run directory. Shared by `run` and `conformance`.
#pragma once

#include "check.hpp"
#include "file_reports.hpp"
#include "plan.hpp"
#include "results.hpp"
#include "run.hpp"
#include "run/chaos_options.hpp"
#include "run/shard.hpp"
#include "scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace ipch {

struct RunCommand {
    std::vector<std::string> paths;
    std::string out_dir = "ipch-results";
    ReportPaths reports; // JUnit and JSON by default in <out>; the others when asked
    // Each case's timeline kept in its result (harness/timeline.hpp): for --html, --trace and
    // conformance's page; without them it would be built from every history and never read.
    bool timelines = false;
    std::string agent_exe; // default: ipc-agent beside this executable
    // --export-history: each run's history as operations for other checkers, in `export_format`
    // (default: by the file's name), of the register or the mutex.
    std::string export_path;
    std::string export_format;
    std::string export_model = "register";
    bool several_cases = false; // then each case's history gets a file of its own
    bool keep_run_dirs = false;
    bool verbose = false;
    bool quiet = false;
    std::optional<ChaosOptions> chaos; // --chaos: signal random agents (run/chaos.hpp)
    bool seeded = false;               // --seed given: run ids derive from it
    std::uint64_t seed = 0;
    Shard shard; // --shard K/N: only this slice of the cases runs
};

// Runs one case to its result. `occurrence`: how many cases of this invocation ran under the
// same name before this one. `exported` turns false when the history could not be written where
// --export-history said. The run directory is kept for a failure (or with keep_run_dirs).
ScenarioResult run_one(const Scenario& scenario, const RunCommand& command, std::uint64_t run_seed,
                       std::uint32_t occurrence, bool& exported);

// The checker's verdicts on a run's history: the scenario's options, with the slack its agents'
// clocks need (TSC times may be off CLOCK_MONOTONIC by what their logs state, clock.hpp).
std::vector<PropertyResult> judge(const Scenario& scenario, const History& history);

// A run's result: evaluate's, with its agents' clock and, when `with_timeline`, the lock's
// timeline (its spans marked by the verdicts' evidence); neither for a run that could not run.
// `run` and `check RUN_DIR` both end so.
ScenarioResult result_of(const Scenario& scenario, const Plan& plan, const RunReport& run,
                         std::vector<PropertyResult> verdicts, bool with_timeline);

} // namespace ipch
