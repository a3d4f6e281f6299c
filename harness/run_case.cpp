#include "run_case.hpp"

#include "check.hpp"
#include "history_export.hpp"
#include "plan.hpp"
#include "report_files.hpp"
#include "run.hpp"
#include "run/claim_run_names.hpp"
#include "run/evaluate.hpp"
#include "run/run_dir.hpp"

#include <cctype>
#include <cstdlib>
#include <spdlog/spdlog.h>

namespace ipch {

namespace fs = std::filesystem;

namespace {

// A scenario's name is free text (reports escape it); as a folder name it keeps only
// [A-Za-z0-9_-], so that no name can lead outside --out.
std::string folder_name(const std::string& name) {
    std::string folder;
    for (const char c : name.substr(0, 64))
        folder += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    return folder.empty() ? "scenario" : folder;
}

// Writes the plan files and runs the agents; whatever stops that is a run that could not start.
RunReport write_and_run(Plan& plan, const RunCommand& command) {
    RunReport run;
    try {
        write_plan_files(plan);
        run = run_agents(plan, RunOptions{command.agent_exe, command.chaos});
    } catch (const std::exception& e) {
        run.could_not_run = true;
        run.errors.push_back(e.what());
    }
    return run;
}

RunReport refused_run(const std::string& why) {
    RunReport run;
    run.could_not_run = true;
    run.errors.push_back(why);
    return run;
}

// With several cases, each case's file is named after it as its run folder is:
// history.json -> history-CASE.json (-CASE-2 for a name met again).
std::string export_path_for(const RunCommand& command, const std::string& case_name,
                            std::uint32_t occurrence) {
    if (!command.several_cases) return command.export_path;
    const fs::path path(command.export_path);
    std::string file = path.filename().string();
    std::string suffix = "-" + folder_name(case_name);
    if (occurrence > 0) suffix += "-" + std::to_string(occurrence + 1);
    const std::size_t dot = file.find('.', 1); // before every extension: NAME.knossos.json
    file.insert(dot == std::string::npos ? file.size() : dot, suffix);
    return (path.parent_path() / file).string();
}

bool export_history(const History& history, const RunCommand& command, const std::string& case_name,
                    std::uint32_t occurrence) {
    const std::string path = export_path_for(command, case_name, occurrence);
    const HistoryFormat format = command.export_format.empty()
                                     ? history_format_for_path(path)
                                     : *history_format_named(command.export_format);
    const lin::Model model = *history_model_named(command.export_model);
    const bool written =
        write_report(path, [&](std::ostream& out) { write_history(out, history, model, format); });
    if (written) spdlog::info("{}: history written to {}", case_name, path);
    return written;
}

} // namespace

// `occurrence`: how many cases of this invocation ran under the same name before this one.
// `exported` turns false when the history could not be written where --export-history said.
ScenarioResult run_one(const Scenario& scenario, const RunCommand& command, std::uint64_t run_seed,
                       std::uint32_t occurrence, bool& exported) {
    const std::string started = utc_now();
    const std::uint64_t seed = case_seed(run_seed, scenario.case_name);
    const std::string run_id = command.seeded ? seeded_run_id(seed, occurrence) : new_run_id();
    // Absolute, so that agents' command lines and the reports name it unambiguously.
    const fs::path run_dir =
        fs::absolute(command.out_dir) / "runs" / (folder_name(scenario.case_name) + "-" + run_id);
    Plan plan = make_plan(scenario, run_id, run_dir, seed);
    spdlog::info("{}: run {} with {} agent(s), seed {}", scenario.case_name, run_id,
                 plan.agents.size(), seed);
    NameLock claim; // a seeded run's names, held until the run ends
    const std::optional<std::string> refusal =
        command.seeded ? claim_run_names(plan, claim) : std::nullopt;
    RunReport run = refusal ? refused_run(*refusal) : write_and_run(plan, command);
    // A run that could not start has no history worth checking: verdicts would only mislead.
    std::vector<PropertyResult> verdicts;
    mark_expected(scenario, plan, run.history); // expected crashes and errors are no failures
    if (!run.could_not_run) verdicts = judge(scenario, run.history);
    if (!run.could_not_run && !command.export_path.empty())
        exported &= export_history(run.history, command, scenario.case_name, occurrence);
    ScenarioResult result = result_of(scenario, plan, run, std::move(verdicts), command.timelines);
    // How each agent ended, beside its plan and log, for `ipc-harness check` of a kept folder.
    if (!refusal && fs::is_directory(plan.run_dir)) write_agent_ends(plan.run_dir, run.history);
    // Reports know a matrix's cases apart by name, values and seed.
    result.name = scenario.case_name;
    result.parameters = scenario.parameters;
    result.seed = seed;
    result.started_utc = started;
    // A refused run made no folder: one by its name is the live run's.
    if (refusal) result.run_dir.clear();
    // The run directory (plans, logs, agents' output) is kept for a failure, for the user.
    if (!refusal && !outcome_info(result.outcome).is_failure && !command.keep_run_dirs) {
        std::error_code ec;
        fs::remove_all(plan.run_dir, ec);
        result.run_dir.clear();
    }
    return result;
}

std::vector<PropertyResult> judge(const Scenario& scenario, const History& history) {
    CheckOptions options = check_options(scenario.expect);
    options.tolerance_ns = std::max(options.tolerance_ns, clock_tolerance_ns(history.agents));
    return check_history(history, options);
}

ScenarioResult result_of(const Scenario& scenario, const Plan& plan, const RunReport& run,
                         std::vector<PropertyResult> verdicts, bool with_timeline) {
    // Before evaluate takes the verdicts: their evidence marks the timeline's spans.
    std::optional<Timeline> timeline;
    if (!run.could_not_run && with_timeline) timeline = make_timeline(run.history, verdicts);
    ScenarioResult result = evaluate(scenario, plan, run, std::move(verdicts));
    if (!run.could_not_run) result.clock = case_clock(run.history);
    result.timeline = std::move(timeline);
    return result;
}

} // namespace ipch
