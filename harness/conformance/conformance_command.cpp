// The conformance pipeline: choose backends -> load the suite -> keep the cases of those
// backends -> run each (isolation's two at once, permissions under umask 0) -> judge the
// property each measures -> build the matrix -> console, JSON, JUnit -> exit code.
#include "conformance/conformance_command.hpp"

#include "case_progress.hpp"
#include "conformance/backends.hpp"
#include "conformance/matrix.hpp"
#include "conformance/report.hpp"
#include "console_report.hpp"
#include "inputs.hpp"
#include "ipch/scoped_umask.hpp"
#include "plan.hpp"
#include "properties.hpp"
#include "report_files.hpp"
#include "run.hpp"
#include "run/shard.hpp"
#include "run/signals.hpp"
#include "run_case.hpp"
#include "text.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace ipch {

namespace fs = std::filesystem;
using namespace conformance;

namespace {

// A case of the suite, with the backend it runs and the property its file measures.
struct SuiteCase {
    const Scenario* scenario = nullptr;
    Backend backend;
    std::string property;
};

std::string catalog_ids() {
    std::string ids;
    for (const PropertyInfo& info : property_catalog)
        ids += (ids.empty() ? "" : ", ") + std::string(info.id);
    return ids;
}

// Each suite file is named after the property it measures (its `name`); a name that is no
// property of the catalog is bad input, reported once per file.
std::vector<std::string> misnamed_files(const std::vector<Scenario>& cases) {
    std::vector<std::string> problems;
    for (const Scenario& scenario : cases) {
        if (find_property(scenario.name) != nullptr) continue;
        const std::string problem =
            scenario.path + ": error: suite file named '" + scenario.name +
            "' measures no property; expected its name to be one of: " + catalog_ids();
        if (std::find(problems.begin(), problems.end(), problem) == problems.end())
            problems.push_back(problem);
    }
    return problems;
}

std::vector<SuiteCase> selected_cases(const std::vector<Scenario>& cases,
                                      const std::vector<Backend>& backends) {
    std::vector<SuiteCase> kept;
    for (const Scenario& scenario : cases) {
        const Backend backend{scenario.mutex.kind, scenario.mapping.kind};
        if (std::find(backends.begin(), backends.end(), backend) != backends.end())
            kept.push_back({&scenario, backend, scenario.name});
    }
    return kept;
}

// --shard splits the matrix by cell (a backend and a property), not by case: a cell's cases
// aggregate into one JUnit testcase, which must come from one shard for the shards' files to
// merge without duplicates. Cells are numbered in the order their first case comes.
std::vector<SuiteCase> shard_of_cells(const std::vector<SuiteCase>& cases, const Shard& shard) {
    std::vector<std::pair<Backend, std::string>> cells;
    std::vector<SuiteCase> kept;
    for (const SuiteCase& suite_case : cases) {
        const std::pair<Backend, std::string> cell{suite_case.backend, suite_case.property};
        auto found = std::find(cells.begin(), cells.end(), cell);
        if (found == cells.end()) found = cells.insert(cells.end(), cell);
        if (in_shard(static_cast<std::size_t>(found - cells.begin()), shard))
            kept.push_back(suite_case);
    }
    return kept;
}

void remove_run_dir(ScenarioResult& result) {
    std::error_code ec;
    fs::remove_all(result.run_dir, ec);
    result.run_dir.clear();
}

CaseRun judged(const SuiteCase& suite_case, ScenarioResult result) {
    CaseRun run{suite_case.backend, suite_case.property, std::move(result), {}};
    run.verdict = judge_case(run.result, run.property);
    // The run directory is kept as evidence of a fail cell or of a case that failed; the rest go.
    if (run.verdict.state != "fail" && !outcome_info(run.result.outcome).is_failure &&
        !run.result.run_dir.empty())
        remove_run_dir(run.result);
    return run;
}

// A cell links one run directory, its first failing case's: a 200 ms run of 16 agents logs
// some 100 MB, so the other failing cases of the cell keep none. (Cases that failed without
// failing their property keep one per cell too.)
class EvidenceKept {
  public:
    void thin(CaseRun& run) {
        if (run.result.run_dir.empty()) return;
        const bool fail = run.verdict.state == "fail";
        auto& kept = fail ? failures_ : others_;
        if (kept.insert({backend_name(run.backend), run.property}).second) return;
        remove_run_dir(run.result);
        run.verdict.run_dir.clear();
    }

  private:
    std::set<std::pair<std::string, std::string>> failures_, others_;
};

// Two runs of one case at the same time, each in a thread of its own. run_one keeps no state
// between calls: each run has its own run id (so its own object names), run directory, agents
// and control object; agents are reaped by their pids.
std::vector<CaseRun> run_concurrently(const SuiteCase& suite_case, const RunCommand& command,
                                      std::uint64_t seed) {
    ScenarioResult results[2];
    bool exported[2] = {true, true}; // one each: nothing is shared between the threads
    std::thread second(
        [&] { results[1] = run_one(*suite_case.scenario, command, seed, 1, exported[1]); });
    results[0] = run_one(*suite_case.scenario, command, seed, 0, exported[0]);
    second.join();
    return {judged(suite_case, std::move(results[0])), judged(suite_case, std::move(results[1]))};
}

std::vector<CaseRun> run_case(const SuiteCase& suite_case, const RunCommand& command,
                              std::uint64_t seed) {
    if (suite_case.property == isolation_property)
        return run_concurrently(suite_case, command, seed);
    bool exported = true;
    if (suite_case.property == "permissions") {
        // umask 0: an owner-only mode is then the backend's doing.
        const ScopedUmask umask_zero(0);
        return {judged(suite_case, run_one(*suite_case.scenario, command, seed, 0, exported))};
    }
    return {judged(suite_case, run_one(*suite_case.scenario, command, seed, 0, exported))};
}

// One line per suite file on stderr, once its cases ran: how many, how long, how many fails.
void report_progress(CaseProgress& progress, const std::vector<CaseRun>& runs, std::size_t first,
                     double seconds) {
    if (first >= runs.size()) return;
    const auto fails =
        std::count_if(runs.begin() + static_cast<std::ptrdiff_t>(first), runs.end(),
                      [](const CaseRun& run) { return run.verdict.state == "fail"; });
    progress.print(runs[first].property + ": " + std::to_string(runs.size() - first) + " runs, " +
                   std::to_string(fails) + " failing the property, " + format_seconds(seconds) +
                   " s");
}

std::vector<CaseRun> run_suite(const std::vector<SuiteCase>& cases, const RunCommand& command,
                               std::uint64_t seed, bool quiet) {
    std::vector<CaseRun> runs;
    EvidenceKept evidence;
    std::size_t file_first = 0;
    auto file_started = std::chrono::steady_clock::now();
    CaseProgress progress(std::cerr, want_progress(quiet, cases.size()), cases.size());
    for (std::size_t i = 0; i < cases.size() && pending_interrupt() == 0; ++i) {
        progress.start_case(i, backend_name(cases[i].backend) + " " +
                                   console_text(cases[i].scenario->case_name));
        for (CaseRun& run : run_case(cases[i], command, seed)) {
            evidence.thin(run);
            runs.push_back(std::move(run));
        }
        progress.end_case();
        const bool file_ends = i + 1 == cases.size() || cases[i + 1].property != cases[i].property;
        if (!file_ends) continue;
        const auto now = std::chrono::steady_clock::now();
        if (!quiet)
            report_progress(progress, runs, file_first,
                            std::chrono::duration<double>(now - file_started).count());
        file_first = runs.size();
        file_started = now;
    }
    return runs;
}

bool could_not_run(const std::vector<CaseRun>& runs) {
    return std::any_of(runs.begin(), runs.end(), [](const CaseRun& run) {
        return run.result.outcome == ScenarioOutcome::harness_error;
    });
}

} // namespace

int conformance_command(ConformanceCommand command, const std::string& tool_version) {
    auto backends = parse_backends(command.backends);
    if (const auto* why = std::get_if<std::string>(&backends)) {
        std::cerr << "ipc-harness: " << *why << "\n";
        return 2;
    }
    const Shard& shard = command.shard;
    const Inputs inputs = load_inputs({command.suite}, std::cerr);
    if (!inputs.bad.empty()) {
        std::cerr << "ipc-harness: " << inputs.bad.size() << " of " << inputs.files
                  << " suite file(s) have errors; nothing was run\n";
        return 2;
    }
    if (inputs.files == 0) {
        std::cerr << "ipc-harness: no scenario files (*.yaml, *.yml) in the suite '"
                  << command.suite << "'\n";
        return 2;
    }
    const std::vector<std::string> misnamed = misnamed_files(inputs.cases);
    for (const std::string& problem : misnamed)
        std::cerr << problem << "\n";
    if (!misnamed.empty()) return 2;

    Report report;
    report.suite = command.suite;
    report.started_utc = utc_now();
    report.seed = random_run_seed();
    report.platform = this_platform(tool_version);
    RunCommand run_command;
    run_command.out_dir = command.out_dir;
    run_command.agent_exe =
        command.agent_exe.empty() ? default_agent_exe().string() : command.agent_exe;
    run_command.keep_run_dirs = true; // judged() decides which to keep
    run_command.timelines = true;     // conformance.html shows them
    run_command.quiet = command.quiet;

    install_interrupt_handlers();
    const auto started = std::chrono::steady_clock::now();
    const std::vector<Backend>& chosen = std::get<std::vector<Backend>>(backends);
    report.shard = to_string(shard);
    report.runs = run_suite(shard_of_cells(selected_cases(inputs.cases, chosen), shard),
                            run_command, report.seed, command.quiet);
    report.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.matrix = build_matrix(chosen, report.runs);
    report.interrupt_signal = pending_interrupt();
    std::error_code ec;
    fs::remove(fs::path(command.out_dir) / "runs", ec); // only if empty: no evidence kept

    write_console(std::cout, report, command.quiet,
                  use_color(::isatty(STDOUT_FILENO) != 0, std::getenv("NO_COLOR")));
    const fs::path out(command.out_dir);
    bool written = write_report((out / "conformance.json").string(),
                                [&](std::ostream& file) { write_json(file, report); });
    written &= write_report((out / "junit.xml").string(),
                            [&](std::ostream& file) { write_junit(file, report); });
    written &=
        write_report(command.markdown, [&](std::ostream& file) { write_markdown(file, report); });
    written &= write_report((out / "conformance.html").string(),
                            [&](std::ostream& file) { write_html(file, report); });
    if (!command.quiet)
        std::cout << "reports: " << (out / "conformance.json").string() << " "
                  << (out / "junit.xml").string() << " " << (out / "conformance.html").string()
                  << "\n";
    if (report.interrupted()) return 128 + report.interrupt_signal;
    return written && !could_not_run(report.runs) ? 0 : 3;
}

} // namespace ipch
