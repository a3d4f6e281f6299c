// ipc-harness: the pipeline, top to bottom.
//   discover scenario files -> load and validate -> for each: plan -> run -> check -> evaluate
//   -> console report -> JUnit and JSON reports -> exit code (DESIGN.md).
#include "check.hpp"
#include "console_report.hpp"
#include "json_report.hpp"
#include "junit_report.hpp"
#include "plan.hpp"
#include "results.hpp"
#include "run.hpp"
#include "run/evaluate.hpp"
#include "run/signals.hpp"
#include "scenario.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ipch;

namespace {

struct RunCommand {
    std::vector<std::string> paths;
    std::string out_dir = "ipch-results";
    std::string junit_path; // default: <out>/junit.xml
    std::string json_path;  // default: <out>/results.json
    std::string agent_exe;  // default: ipc-agent beside this executable
    bool keep_run_dirs = false;
    bool verbose = false;
    bool quiet = false;
};

bool is_scenario_file(const fs::path& path) {
    return path.extension() == ".yaml" || path.extension() == ".yml";
}

// Directories are searched recursively for *.yaml / *.yml; anything else is taken as a file
// (a missing one is reported by the loader like any other bad input).
std::vector<std::string> discover(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& entry : fs::recursive_directory_iterator(path, ec))
            if (entry.is_regular_file() && is_scenario_file(entry.path()))
                found.push_back(entry.path().string());
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

fs::path default_agent_exe() {
    if (const char* env = std::getenv("IPCH_AGENT")) return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("ipc-agent") : self.parent_path() / "ipc-agent";
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// Loads every file and prints every problem of every file to stderr. A bad file becomes a
// bad-input result, so that the JUnit and JSON reports show it too.
void load_all(const std::vector<std::string>& files, std::vector<Scenario>& scenarios,
              std::vector<ScenarioResult>& bad) {
    for (const std::string& file : files) {
        LoadResult loaded = load_scenario(file);
        if (auto* scenario = std::get_if<Scenario>(&loaded)) {
            scenarios.push_back(std::move(*scenario));
            continue;
        }
        ScenarioResult result;
        result.path = file;
        result.name = file;
        result.outcome = ScenarioOutcome::bad_input;
        for (const ScenarioError& error : std::get<std::vector<ScenarioError>>(loaded)) {
            result.messages.push_back(format_error(error));
            std::cerr << result.messages.back() << "\n";
        }
        bad.push_back(std::move(result));
    }
}

// A scenario's name is free text (reports escape it); as a folder name it keeps only
// [A-Za-z0-9_-], so that no name can lead outside --out.
std::string folder_name(const std::string& name) {
    std::string folder;
    for (const char c : name.substr(0, 64))
        folder += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
    return folder.empty() ? "scenario" : folder;
}

ScenarioResult run_one(const Scenario& scenario, const RunCommand& command) {
    const std::string run_id = new_run_id();
    // Absolute, so that agents' command lines and the reports name it unambiguously.
    const fs::path run_dir =
        fs::absolute(command.out_dir) / "runs" / (folder_name(scenario.name) + "-" + run_id);
    Plan plan = make_plan(scenario, run_id, run_dir, std::random_device{}());
    spdlog::info("{}: run {} with {} agent(s)", scenario.path, run_id, plan.agents.size());
    RunReport run;
    try {
        write_plan_files(plan);
        run = run_agents(plan, RunOptions{command.agent_exe});
    } catch (const std::exception& e) {
        run.could_not_run = true;
        run.errors.push_back(e.what());
    }
    // A run that could not start has no history worth checking: verdicts would only mislead.
    std::vector<PropertyResult> verdicts;
    mark_expected(scenario, plan, run.history); // expected crashes and errors are no failures
    if (!run.could_not_run) verdicts = check_history(run.history);
    ScenarioResult result = evaluate(scenario, plan, run, std::move(verdicts));
    // The run directory (plans, logs, agents' output) is kept for a failure, for the user.
    if (!outcome_info(result.outcome).is_failure && !command.keep_run_dirs) {
        std::error_code ec;
        fs::remove_all(plan.run_dir, ec);
        result.run_dir.clear();
    }
    return result;
}

template <typename Writer>
bool write_report(const std::string& path, Writer&& write) {
    std::error_code ec;
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path(), ec);
    std::ofstream out(path);
    write(out);
    if (!out.flush()) {
        spdlog::error("cannot write report '{}'", path);
        return false;
    }
    return true;
}

bool write_file_reports(const RunResults& results, const RunCommand& command) {
    bool written = write_report(command.junit_path,
                                [&](std::ostream& out) { write_junit_report(out, results); });
    written &= write_report(command.json_path,
                            [&](std::ostream& out) { write_json_report(out, results); });
    return written;
}

int run_command(RunCommand command) {
    if (command.agent_exe.empty()) command.agent_exe = default_agent_exe().string();
    if (command.junit_path.empty()) command.junit_path = command.out_dir + "/junit.xml";
    if (command.json_path.empty()) command.json_path = command.out_dir + "/results.json";

    RunResults results;
    results.tool_version = IPCH_VERSION;
    results.started_utc = utc_now();
    std::vector<Scenario> scenarios;
    load_all(discover(command.paths), scenarios, results.scenarios);
    if (!results.scenarios.empty()) {
        // Bad input runs nothing; the reports say which files are bad, for CI to show.
        std::cerr << "ipc-harness: " << results.scenarios.size() << " of "
                  << results.scenarios.size() + scenarios.size()
                  << " scenario file(s) have errors; nothing was run\n";
        write_file_reports(results, command);
        return exit_code_for(results);
    }
    if (scenarios.empty()) {
        std::cerr << "ipc-harness: no scenario files (*.yaml, *.yml) found in the given paths\n";
        return 2;
    }

    install_interrupt_handlers();
    const auto started = std::chrono::steady_clock::now();
    for (const Scenario& scenario : scenarios) {
        results.scenarios.push_back(run_one(scenario, command));
        if (pending_interrupt() != 0) break;
    }
    results.interrupt_signal = pending_interrupt();
    results.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::error_code ec;
    fs::remove(fs::path(command.out_dir) / "runs", ec); // only if empty: every run passed

    const bool color = ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
    write_console_report(std::cout, results, ConsoleOptions{command.verbose, command.quiet, color});
    const bool written = write_file_reports(results, command);
    if (!command.quiet)
        std::cout << "reports: " << command.junit_path << " " << command.json_path << "\n";
    const int code = exit_code_for(results);
    return code == 0 && !written ? 3 : code;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"ipc-harness: multi-process tests of shared-memory IPC (named mapping + named "
                 "mutex), driven by scenario files"};
    app.set_version_flag("--version", std::string("ipc-harness ") + IPCH_VERSION);
    app.require_subcommand(1);

    RunCommand run;
    CLI::App* run_app = app.add_subcommand("run", "Run scenario files, or directories of them");
    run_app->add_option("paths", run.paths, "Scenario files or directories (searched for *.yaml)")
        ->required();
    run_app->add_option("--out", run.out_dir, "Folder for reports and kept run directories")
        ->capture_default_str();
    run_app->add_option("--junit", run.junit_path, "JUnit XML report (default: OUT/junit.xml)");
    run_app->add_option("--json", run.json_path, "JSON report (default: OUT/results.json)");
    run_app->add_option("--agent", run.agent_exe,
                        "The built-in agent executable (default: ipc-agent beside ipc-harness, "
                        "or $IPCH_AGENT)");
    run_app->add_flag("--keep-run-dirs", run.keep_run_dirs,
                      "Keep every run directory, not only those of failures");
    auto* verbose = run_app->add_flag("-v,--verbose", run.verbose, "Show every property");
    run_app->add_flag("-q,--quiet", run.quiet, "Show only failures and the totals")
        ->excludes(verbose);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // Usage errors are bad input: exit 2, whatever code CLI11 would pick.
        return app.exit(e) == 0 ? 0 : 2;
    }

    auto logger = spdlog::stderr_color_mt("ipc-harness");
    logger->set_pattern("%^%l%$: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(run.verbose ? spdlog::level::info
                      : run.quiet ? spdlog::level::err
                                  : spdlog::level::warn);

    if (run_app->parsed()) return run_command(run);
    return 2;
}
