// ipc-harness: the pipeline, top to bottom.
//   discover scenario files -> load, validate and expand into cases -> for each case: plan ->
//   run -> check -> evaluate -> console report -> JUnit and JSON reports -> exit code
//   (DESIGN.md). `list` and `validate` stop after loading.
#include "check.hpp"
#include "check_command.hpp"
#include "console_report.hpp"
#include "history_export.hpp"
#include "inputs.hpp"
#include "json_report.hpp"
#include "junit_report.hpp"
#include "plan.hpp"
#include "report_files.hpp"
#include "results.hpp"
#include "run.hpp"
#include "run/claim_run_names.hpp"
#include "run/evaluate.hpp"
#include "run/run_dir.hpp"
#include "run/signals.hpp"
#include "scenario.hpp"
#include "stress/stress_command.hpp"
#include "text.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
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
    // --export-history: each run's history as operations for other checkers, in `export_format`
    // (default: by the file's name), of the register or the mutex.
    std::string export_path;
    std::string export_format;
    std::string export_model = "register";
    bool several_cases = false; // then each case's history gets a file of its own
    bool keep_run_dirs = false;
    bool verbose = false;
    bool quiet = false;
    bool seeded = false; // --seed given: run ids derive from it
    std::uint64_t seed = 0;
};

fs::path default_agent_exe() {
    if (const char* env = std::getenv("IPCH_AGENT")) return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("ipc-agent") : self.parent_path() / "ipc-agent";
}

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
        run = run_agents(plan, RunOptions{command.agent_exe});
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
    if (!run.could_not_run) verdicts = check_history(run.history, check_options(scenario.expect));
    if (!run.could_not_run && !command.export_path.empty())
        exported &= export_history(run.history, command, scenario.case_name, occurrence);
    ScenarioResult result = evaluate(scenario, plan, run, std::move(verdicts));
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

bool write_file_reports(const RunResults& results, const RunCommand& command) {
    bool written = write_report(command.junit_path,
                                [&](std::ostream& out) { write_junit_report(out, results); });
    written &= write_report(command.json_path,
                            [&](std::ostream& out) { write_json_report(out, results); });
    return written;
}

// Decimal digits only: CLI11 would take "-1" (as 2^64-1), "0x10", and saturate what overflows.
std::optional<std::uint64_t> parse_seed(const std::string& text) {
    std::uint64_t seed = 0;
    const char* end = text.data() + text.size();
    const auto [stop, status] = std::from_chars(text.data(), end, seed);
    if (status != std::errc() || stop != end || text.empty()) return std::nullopt;
    return seed;
}

std::string plural(std::size_t count, const std::string& word) {
    return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

int no_files() {
    std::cerr << "ipc-harness: no scenario files (*.yaml, *.yml) found in the given paths\n";
    return 2;
}

int run_command(RunCommand command) {
    if (command.agent_exe.empty()) command.agent_exe = default_agent_exe().string();
    if (command.junit_path.empty()) command.junit_path = command.out_dir + "/junit.xml";
    if (command.json_path.empty()) command.json_path = command.out_dir + "/results.json";

    RunResults results;
    results.tool_version = IPCH_VERSION;
    results.started_utc = utc_now();
    results.seed = command.seeded ? command.seed : random_run_seed();
    Inputs inputs = load_inputs(command.paths, std::cerr);
    if (!inputs.bad.empty()) {
        // Bad input runs nothing; the reports say which files are bad, for CI to show.
        std::cerr << "ipc-harness: " << inputs.bad.size() << " of " << inputs.files
                  << " scenario file(s) have errors; nothing was run\n";
        results.scenarios = std::move(inputs.bad);
        write_file_reports(results, command);
        return exit_code_for(results);
    }
    if (inputs.files == 0) return no_files();

    install_interrupt_handlers();
    const auto started = std::chrono::steady_clock::now();
    std::map<std::string, std::uint32_t> runs_by_name;
    command.several_cases = inputs.cases.size() > 1;
    bool exported = true;
    for (const Scenario& scenario : inputs.cases) {
        const std::uint32_t occurrence = runs_by_name[scenario.case_name]++;
        results.scenarios.push_back(
            run_one(scenario, command, *results.seed, occurrence, exported));
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
    // With both reports written elsewhere and every run passed, the folder holds nothing.
    fs::remove(command.out_dir, ec); // only if empty
    if (!command.quiet)
        std::cout << "reports: " << command.junit_path << " " << command.json_path << "\n";
    const int code = exit_code_for(results);
    return code == 0 && !(written && exported) ? 3 : code;
}

std::size_t agent_count(const Scenario& scenario) {
    std::size_t count = 0;
    for (const AgentSpec& agent : scenario.agents)
        count += agent.count;
    return count;
}

// One line per case, tab-separated: case name, file, agents, then its values (name=value,
// separated by spaces). Tabs cannot occur inside a field: console_text shows them as \x09.
int list_command(const std::vector<std::string>& paths) {
    const Inputs inputs = load_inputs(paths, std::cerr);
    for (const Scenario& scenario : inputs.cases) {
        std::cout << console_text(scenario.case_name) << "\t" << console_text(scenario.path) << "\t"
                  << plural(agent_count(scenario), "agent") << "\t";
        for (std::size_t i = 0; i < scenario.parameters.size(); ++i)
            std::cout << (i > 0 ? " " : "") << console_text(scenario.parameters[i].name) << "="
                      << console_text(scenario.parameters[i].value);
        std::cout << "\n";
    }
    if (inputs.files == 0) return no_files();
    return inputs.bad.empty() ? 0 : 2;
}

// Every problem of every file on stderr, then one line of totals on stdout.
int validate_command(const std::vector<std::string>& paths) {
    const Inputs inputs = load_inputs(paths, std::cerr);
    if (inputs.files == 0) return no_files();
    std::cout << plural(inputs.files, "file") << ", " << plural(inputs.cases.size(), "case") << ": "
              << (inputs.bad.empty() ? "all valid" : plural(inputs.bad.size(), "file") + " invalid")
              << "\n";
    return inputs.bad.empty() ? 0 : 2;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"ipc-harness: multi-process tests of shared-memory IPC (named mapping + named "
                 "mutex), driven by scenario files"};
    app.set_version_flag("--version", std::string("ipc-harness ") + IPCH_VERSION);
    app.require_subcommand(1);

    RunCommand run;
    CLI::App* run_app = app.add_subcommand("run", "Run scenario files, or directories of them");
    run_app
        ->add_option("paths", run.paths,
                     "Scenario files or directories (searched for *.yaml and *.yml)")
        ->required();
    run_app->add_option("--out", run.out_dir, "Folder for reports and kept run directories")
        ->capture_default_str();
    run_app->add_option("--junit", run.junit_path, "JUnit XML report (default: OUT/junit.xml)");
    run_app->add_option("--json", run.json_path, "JSON report (default: OUT/results.json)");
    run_app->add_option("--agent", run.agent_exe,
                        "The built-in agent executable (default: ipc-agent beside ipc-harness, "
                        "or $IPCH_AGENT)");
    run_app->add_option("--export-history", run.export_path,
                        "Write each run's history to FILE as operations for other "
                        "linearizability checkers (one file per case when there are several)");
    run_app
        ->add_option("--export-format", run.export_format,
                     "porcupine or knossos (elle-cli's JSON); default: knossos for "
                     "*.knossos.json and *.elle.json, else porcupine")
        ->check(CLI::IsMember({"porcupine", "knossos", "elle"}));
    run_app
        ->add_option("--export-model", run.export_model,
                     "The operations to export: the mapping as a register, or the lock as a mutex")
        ->check(CLI::IsMember({"register", "mutex"}))
        ->capture_default_str();
    run_app->add_flag("--keep-run-dirs", run.keep_run_dirs,
                      "Keep every run directory, not only those of failures");
    std::string seed_text;
    CLI::Option* seed_option = run_app->add_option(
        "--seed", seed_text,
        "Seed every random choice (and the run ids) from N, 0 to 2^64-1, to "
        "repeat a run exactly; default: a random seed, printed with the totals");
    auto* verbose = run_app->add_flag("-v,--verbose", run.verbose, "Show every property");
    run_app->add_flag("-q,--quiet", run.quiet, "Show only failures and the totals")
        ->excludes(verbose);

    std::vector<std::string> list_paths;
    CLI::App* list_app =
        app.add_subcommand("list", "Print every case the scenario files expand to, one a line");
    list_app->add_option("paths", list_paths, "Scenario files or directories")->required();

    std::vector<std::string> validate_paths;
    CLI::App* validate_app = app.add_subcommand(
        "validate", "Check scenario files without running them: every problem, then a summary");
    validate_app->add_option("paths", validate_paths, "Scenario files or directories")->required();

    CheckCommand check;
    CLI::App* check_app = app.add_subcommand(
        "check", "Judge a kept run directory again from its plans and event logs, running nothing");
    check_app->add_option("run_dir", check.run_dir, "A run directory (OUT/runs/NAME-RUNID)")
        ->required();
    check_app->add_option("--junit", check.junit_path, "Write a JUnit XML report");
    check_app->add_option("--json", check.json_path, "Write a JSON report");
    check_app->add_flag("-q,--quiet", check.quiet, "Show only failures and the totals");

    stress::StressCommand stress_options;
    CLI::App* stress_app = stress::add_stress_command(app, stress_options);
    stress::CompareCommand compare_options;
    CLI::App* compare_app = stress::add_compare_command(app, compare_options);

    // CLI11 says only "A subcommand is required" for a word it does not know: name it.
    if (argc > 1 && argv[1][0] != '-') {
        try {
            app.get_subcommand(argv[1]);
        } catch (const CLI::OptionNotFound&) {
            std::cerr
                << "ipc-harness: unknown command '" << argv[1]
                << "'; expected one of: run, list, validate, check, stress, compare (see --help)\n";
            return 2;
        }
    }
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

    if (seed_option->count() > 0) {
        const std::optional<std::uint64_t> seed = parse_seed(seed_text);
        if (!seed) {
            std::cerr << "--seed: '" << console_text(seed_text)
                      << "' is not a seed; expected a decimal number from 0 to "
                      << std::numeric_limits<std::uint64_t>::max() << "\n";
            return 2;
        }
        run.seeded = true;
        run.seed = *seed;
    }
    if (run_app->parsed()) return run_command(run);
    if (list_app->parsed()) return list_command(list_paths);
    if (validate_app->parsed()) return validate_command(validate_paths);
    if (check_app->parsed()) return check_command(check);
    if (stress_app->parsed()) return stress::stress_command(stress_options, IPCH_VERSION);
    if (compare_app->parsed()) return stress::compare_command(compare_options);
    return 2;
}
