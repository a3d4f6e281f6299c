#include "check_command.hpp"

#include "console_report.hpp"
#include "report_files.hpp"
#include "run/evaluate.hpp"
#include "run/run_dir.hpp"
#include "run_case.hpp"
#include "text.hpp"

#include <iostream>
#include <stdexcept>
#include <unistd.h>

namespace ipch {

namespace {

// What was read, before any verdict: one line per agent, with what was wrong with its log.
void write_reading(std::ostream& out, const LoadedRun& run) {
    out << "run dir: " << console_text(run.plan.run_dir.string()) << " (run "
        << console_text(run.plan.run_id) << ", " << run.history.agents.size() << " agents)\n";
    for (const std::string& note : run.notes)
        out << "  note: " << console_text(note) << "\n";
    for (const AgentHistory& agent : run.history.agents) {
        out << "  agent " << agent.agent_id << " " << console_text(agent.name) << ": "
            << agent.events.size() << " events, " << to_string(agent.end);
        if (!agent.log_damage.empty())
            out << "; event log damaged: " << console_text(agent.log_damage);
        out << "\n";
    }
}

} // namespace

int check_command(const CheckCommand& command) {
    LoadedRun run;
    try {
        run = load_run_dir(command.run_dir);
    } catch (const std::runtime_error& e) {
        std::cerr << "ipc-harness: " << console_text(e.what()) << "\n";
        return 2;
    }
    if (!command.quiet) write_reading(std::cout, run);

    // The scenario itself is not in the folder: every property that applies must hold, and
    // the plans say which agents were meant to crash.
    Scenario scenario;
    scenario.name = run.plan.run_dir.filename().string();
    scenario.case_name = scenario.name;
    scenario.path = run.plan.run_dir.string();
    mark_expected(scenario, run.plan, run.history);
    std::vector<PropertyResult> verdicts = judge(scenario, run.history);
    RunReport report;
    report.history = std::move(run.history);
    RunResults results;
    results.started_utc = utc_now();
    results.scenarios.push_back(result_of(scenario, run.plan, report, std::move(verdicts),
                                          command.reports.want_timelines()));

    const bool color = use_color(::isatty(STDOUT_FILENO) != 0, std::getenv("NO_COLOR"));
    write_console_report(std::cout, results, ConsoleOptions{!command.quiet, command.quiet, color});
    const bool written = write_file_reports(results, command.reports);
    const int code = exit_code_for(results);
    return code == 0 && !written ? 3 : code;
}

} // namespace ipch
