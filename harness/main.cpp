// ipc-harness: the pipeline, top to bottom.
//   discover scenario files -> load, validate and expand into cases -> for each case: plan ->
//   run -> check -> evaluate -> console report -> JUnit, JSON (and Markdown) reports -> exit code
//   (DESIGN.md). `list` and `validate` stop after loading; `conformance` runs the suite's cases
//   into a matrix of backends and properties (conformance/).
#include "case_progress.hpp"
#include "check.hpp"
#include "check_command.hpp"
#include "clean_command.hpp"
#include "conformance/conformance_command.hpp"
#include "console_report.hpp"
#include "html_report.hpp"
#include "inputs.hpp"
#include "json_report.hpp"
#include "junit_report.hpp"
#include "markdown_report.hpp"
#include "plan.hpp"
#include "report_files.hpp"
#include "results.hpp"
#include "run.hpp"
#include "run/shard_option.hpp"
#include "run/signals.hpp"
#include "run_case.hpp"
#include "scenario.hpp"
#include "stress/stress_command.hpp"
#include "stress/stress_file.hpp"
#include "text.hpp"
#include "trace_report.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace ipch;

namespace {

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

stress::RunSettings stress_settings(const RunCommand& command) {
    return {command.agent_exe, command.out_dir, command.keep_run_dirs};
}

int run_command(RunCommand command) {
    // First: a SIGINT or SIGTERM from here on ends the invocation with its (partial) reports.
    install_interrupt_handlers();
    if (command.agent_exe.empty()) command.agent_exe = default_agent_exe().string();
    if (command.reports.junit.empty()) command.reports.junit = command.out_dir + "/junit.xml";
    if (command.reports.json.empty()) command.reports.json = command.out_dir + "/results.json";
    command.timelines = command.reports.want_timelines();

    RunResults results;
    results.tool_version = IPCH_VERSION;
    results.started_utc = utc_now();
    results.seed = command.seeded ? command.seed : random_run_seed();
    results.shard = to_string(command.shard);
    Inputs inputs = load_inputs(command.paths, std::cerr);
    if (!inputs.bad.empty()) {
        // Bad input runs nothing; the reports say which files are bad, for CI to show.
        std::cerr << "ipc-harness: " << inputs.bad.size() << " of " << inputs.files
                  << " scenario file(s) have errors; nothing was run\n";
        // Every shard refuses to run, but each bad file is reported by one shard only, so that
        // the shards' JUnit files merge without a testsuite twice (stderr lists them all).
        results.scenarios = shard_of(inputs.bad, command.shard);
        write_file_reports(results, command.reports);
        return 2; // bad input, in every shard, whether or not it reports a bad file
    }
    if (inputs.files == 0) return no_files();

    const auto started = std::chrono::steady_clock::now();
    std::map<std::string, std::uint32_t> runs_by_name;
    command.several_cases = inputs.cases.size() > 1;
    bool exported = true;
    {
        const std::size_t selected = shard_size(inputs.cases.size(), command.shard);
        CaseProgress progress(std::cerr, want_progress(command.quiet, selected), selected);
        for (std::size_t i = 0; i < inputs.cases.size(); ++i) {
            if (pending_interrupt() != 0) break; // signalled while loading, or by the last case
            const Scenario& scenario = inputs.cases[i];
            // Counted over every case, so that a case's occurrence (and its export file's name)
            // is the same whichever shard runs it.
            const std::uint32_t occurrence = runs_by_name[scenario.case_name]++;
            if (!in_shard(i, command.shard)) continue;
            progress.start_case(results.scenarios.size(), console_text(scenario.case_name));
            if (scenario.stress) { // kind: stress, a sweep of cases (docs/stress.md)
                for (ScenarioResult& result :
                     stress::run_stress_file(scenario, stress_settings(command)))
                    results.scenarios.push_back(std::move(result));
            } else {
                results.scenarios.push_back(
                    run_one(scenario, command, *results.seed, occurrence, exported));
            }
            progress.end_case();
        }
    }
    results.interrupt_signal = pending_interrupt();
    results.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::error_code ec;
    fs::remove(fs::path(command.out_dir) / "runs", ec); // only if empty: every run passed

    const bool color = use_color(::isatty(STDOUT_FILENO) != 0, std::getenv("NO_COLOR"));
    write_console_report(std::cout, results, ConsoleOptions{command.verbose, command.quiet, color});
    const bool written = write_file_reports(results, command.reports);
    // With both reports written elsewhere and every run passed, the folder holds nothing.
    fs::remove(command.out_dir, ec); // only if empty
    if (!command.quiet) {
        std::cout << "reports:" << report_list(command.reports) << "\n";
    }
    const int code = exit_code_for(results);
    return code == 0 && !(written && exported) ? 3 : code;
}

std::size_t agent_count(const Scenario& scenario) {
    if (scenario.stress) return scenario.stress->agents.front(); // one case of a sweep
    std::size_t count = 0;
    for (const AgentSpec& agent : scenario.agents)
        count += agent.count;
    return count;
}

// One line per case, tab-separated: case name, file, agents, then its values (name=value,
// separated by spaces). Tabs cannot occur inside a field: console_text shows them as \x09.
int list_command(const std::vector<std::string>& paths) {
    const Inputs inputs = load_inputs(paths, std::cerr);
    std::vector<Scenario> listed;
    for (const Scenario& scenario : inputs.cases)
        for (Scenario& one : stress::listed_cases(scenario))
            listed.push_back(std::move(one));
    for (const Scenario& scenario : listed) {
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
    // A reader that goes away (`| head`) must not kill the controller before it cleans up: a
    // write to a closed pipe fails with EPIPE instead.
    std::signal(SIGPIPE, SIG_IGN);
    // The harness makes folders and writes into them (run directories, reports, lock files): a
    // umask that takes the owner's own bits (0277) would leave it unable to write into a folder
    // it has just made. The group and other bits the user masks stay masked; the run's named
    // objects get their plan's mode whatever the umask (the agents set it).
    ::umask(::umask(0) & 0077);
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
    run_app->add_option("--junit", run.reports.junit, "JUnit XML report (default: OUT/junit.xml)");
    run_app->add_option("--json", run.reports.json, "JSON report (default: OUT/results.json)");
    run_app->add_option("--markdown", run.reports.markdown,
                        "A Markdown summary for a CI job's page (as $GITHUB_STEP_SUMMARY)");
    run_app->add_option("--html", run.reports.html,
                        "One self-contained HTML report: summary, charts, verdicts, timelines");
    run_app->add_option("--trace", run.reports.trace,
                        "Chrome Trace Event JSON of the lock's timeline, for Perfetto's UI");
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
    std::string chaos_text;
    CLI::Option* chaos_option = run_app->add_option(
        "--chaos", chaos_text,
        "kill, stop or kill,stop[:RATE]: SIGKILL or SIGSTOP random agents at random moments, "
        "about RATE a second (default 20), half of them aimed at the lock's holder; seeded");
    add_shard_option(*run_app, run.shard,
                     "K/N: run only the K-th of N stable slices of the cases (case i runs in "
                     "shard i mod N + 1), for a CI matrix; the shards' JUnit files merge");
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
    bool clean_dry_run = false;
    CLI::App* clean_app = app.add_subcommand(
        "clean", "Remove the named objects of dead runs (a live run's are never touched)");
    clean_app->add_flag("--dry-run", clean_dry_run, "List what would be removed; remove nothing");

    CLI::App* check_app = app.add_subcommand(
        "check", "Judge a kept run directory again from its plans and event logs, running nothing");
    check_app->add_option("run_dir", check.run_dir, "A run directory (OUT/runs/NAME-RUNID)")
        ->required();
    check_app->add_option("--junit", check.reports.junit, "Write a JUnit XML report");
    check_app->add_option("--json", check.reports.json, "Write a JSON report");
    check_app->add_option("--markdown", check.reports.markdown,
                          "Write a Markdown summary for a CI job's page");
    check_app->add_option("--html", check.reports.html,
                          "Write one self-contained HTML report, with the lock's timeline");
    check_app->add_option("--trace", check.reports.trace,
                          "Write Chrome Trace Event JSON of the lock's timeline");
    check_app->add_flag("-q,--quiet", check.quiet, "Show only failures and the totals");

    ConformanceCommand conformance;
    CLI::App* conformance_app = app.add_subcommand(
        "conformance", "Run the conformance suite over the backends and write the matrix: "
                       "backends x properties, each failure with its evidence");
    conformance_app
        ->add_option("--backends", conformance.backends,
                     "Comma-separated MUTEX (over every mapping kind), MUTEX/MAPPING, or all")
        ->capture_default_str();
    conformance_app
        ->add_option("--out", conformance.out_dir,
                     "Folder for conformance.json, junit.xml and the runs kept as evidence")
        ->capture_default_str();
    conformance_app->add_option("--suite", conformance.suite, "The suite's scenario files")
        ->capture_default_str();
    conformance_app->add_option("--agent", conformance.agent_exe,
                                "The built-in agent executable (default: ipc-agent beside "
                                "ipc-harness, or $IPCH_AGENT)");
    conformance_app->add_option("--markdown", conformance.markdown,
                                "A Markdown summary for a CI job's page: the matrix and the "
                                "failing cells");
    add_shard_option(*conformance_app, conformance.shard,
                     "K/N: run only the K-th of N stable slices of the matrix's cells, for a CI "
                     "matrix; the shards' JUnit files merge");
    conformance_app->add_flag("-q,--quiet", conformance.quiet,
                              "Show only the table and the failures");
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
                << "'; expected one of: run, list, validate, check, clean, conformance, stress, "
                   "compare (see --help)\n";
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
    // "ipc-harness: error: ...", as the lines the commands print themselves.
    logger->set_pattern("ipc-harness: %^%l%$: %v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(run.verbose                      ? spdlog::level::info
                      : run.quiet || conformance.quiet ? spdlog::level::err
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
    if (chaos_option->count() > 0) {
        std::string why;
        run.chaos = parse_chaos(chaos_text, why);
        if (!run.chaos) {
            std::cerr << "--chaos: " << console_text(why) << "\n";
            return 2;
        }
    }
    if (run_app->parsed()) return run_command(run);
    if (list_app->parsed()) return list_command(list_paths);
    if (validate_app->parsed()) return validate_command(validate_paths);
    if (check_app->parsed()) return check_command(check);
    if (clean_app->parsed()) return clean_command(clean_dry_run);
    if (conformance_app->parsed()) return conformance_command(conformance, IPCH_VERSION);
    if (stress_app->parsed()) return stress::stress_command(stress_options, IPCH_VERSION);
    if (compare_app->parsed()) return stress::compare_command(compare_options);
    return 2;
}
