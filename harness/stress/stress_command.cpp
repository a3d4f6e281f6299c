// `ipc-harness stress`: options -> cases -> for each case: plan, run, check, measure -> table ->
// JSON -> exit code.
#include "stress/stress_command.hpp"

#include "report_files.hpp"
#include "run.hpp"
#include "run/agent_process.hpp"
#include "run/shard_option.hpp"
#include "run/signals.hpp"
#include "stress/progress.hpp"
#include "stress/run_case.hpp"
#include "stress/stress_file.hpp"
#include "stress/stress_html.hpp"
#include "stress/stress_json.hpp"
#include "stress/stress_markdown.hpp"
#include "stress/stress_table.hpp"
#include "text.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace ipch::stress {

namespace fs = std::filesystem;

namespace {

// The table and the JSON list cases by backend, then agents, then repeat, as the options list
// them.
void sort_cases(std::vector<StressCase>& cases, const StressConfig& config) {
    const auto position = [](const auto& list, const auto& value) {
        return std::find(list.begin(), list.end(), value) - list.begin();
    };
    std::stable_sort(cases.begin(), cases.end(), [&](const StressCase& a, const StressCase& b) {
        const auto rank = [&](const CaseKey& k) {
            return std::tuple(position(config.backends, k.backend),
                              position(config.agents, k.agents), k.repeat);
        };
        return rank(a.key) < rank(b.key);
    });
}

int exit_code(const Sweep& sweep, int interrupt) {
    if (interrupt != 0) return 128 + interrupt;
    const auto any = [&](const char* outcome) {
        return std::any_of(sweep.cases.begin(), sweep.cases.end(),
                           [&](const StressCase& c) { return case_outcome(c) == outcome; });
    };
    return any("could-not-run") ? 3 : any("fail") ? 1 : 0;
}

Sweep run_sweep(const StressConfig& config, const RunSettings& settings, const Shard& shard,
                bool quiet, int& interrupt) {
    Sweep sweep;
    sweep.config = config;
    sweep.environment = read_environment(); // the load average before the sweep adds to it
    sweep.started_utc = utc_now();
    const auto started = std::chrono::steady_clock::now();
    const std::vector<CaseKey> keys = shard_of(case_keys(config), shard);
    sweep.shard = to_string(shard);
    {
        Progress progress(std::cerr, progress_style(quiet, ::isatty(STDERR_FILENO) != 0),
                          keys.size(), config.warmup_ns + config.duration_ns);
        for (std::size_t i = 0; i < keys.size() && pending_interrupt() == 0; ++i) {
            progress.start_case(i, case_label(keys[i]));
            sweep.cases.push_back(run_case(config, keys[i], settings));
            progress.end_case(sweep.cases.back());
        }
    }
    interrupt = pending_interrupt();
    sweep.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    sort_cases(sweep.cases, config);
    return sweep;
}

} // namespace

CLI::App* add_stress_command(CLI::App& app, StressCommand& command) {
    CLI::App* sub = app.add_subcommand(
        "stress", "Sweep mutex kinds and agent counts: throughput, waits, hand-offs, fairness");
    sub->add_option("--backend", command.backends, "Mutex kinds, comma-separated")
        ->capture_default_str();
    sub->add_option("--mapping", command.mapping, "Mapping kind: shm, file or xsi")
        ->capture_default_str();
    sub->add_option("--agents", command.agents, "Agent counts, comma-separated")
        ->capture_default_str();
    sub->add_option("--duration", command.duration, "Measured time per case")
        ->capture_default_str();
    sub->add_option("--warmup", command.warmup, "Time per case before measuring (not counted)")
        ->capture_default_str();
    sub->add_option("--hold", command.hold, "Time each section holds the lock after its write")
        ->capture_default_str();
    sub->add_option("--payload", command.payload, "Bytes each section writes")
        ->capture_default_str();
    sub->add_option("--repeat", command.repeat, "Runs of every case (compare takes medians)")
        ->capture_default_str();
    sub->add_flag("--pin", command.pin, "Pin agent i to core i mod cores (taskset)");
    sub->add_option("--timing", command.timing,
                    "full (every section stamped and recorded) or sampled[:K] (every K-th, "
                    "default 64; all counted)")
        ->capture_default_str();
    sub->add_option("--clock", command.clock,
                    "auto (the TSC calibrated to CLOCK_MONOTONIC where it is invariant) or "
                    "monotonic")
        ->capture_default_str();
    sub->add_option("--out", command.out_dir, "Folder for the JSON and kept run directories")
        ->capture_default_str();
    sub->add_option("--json", command.json_path, "JSON file (default: OUT/stress.json)");
    sub->add_option("--agent", command.agent_exe,
                    "The built-in agent executable (default: ipc-agent beside ipc-harness, or "
                    "$IPCH_AGENT)");
    sub->add_flag("--keep-run-dirs", command.keep_run_dirs,
                  "Keep every case's run directory, not only those of failures");
    sub->add_flag("-q,--quiet", command.quiet, "No progress; the table only");
    sub->add_option("--markdown", command.markdown,
                    "A Markdown summary for a CI job's page: the table's main columns");
    add_shard_option(*sub, command.shard,
                     "K/N: run only the K-th of N stable slices of the cases (in the order "
                     "repeat, backend, agents), for a CI matrix");
    return sub;
}

int stress_command(const StressCommand& command, const std::string& tool_version) {
    auto parsed = parse_stress_options(command);
    if (auto* problems = std::get_if<std::vector<std::string>>(&parsed)) {
        for (const std::string& problem : *problems)
            std::cerr << "ipc-harness stress: " << console_text(problem) << "\n";
        return 2;
    }
    const StressConfig& config = std::get<StressConfig>(parsed);
    const Shard& shard = command.shard;
    RunSettings settings;
    settings.agent_exe =
        command.agent_exe.empty() ? default_agent_exe() : fs::path(command.agent_exe);
    settings.out_dir = command.out_dir;
    settings.keep_run_dirs = command.keep_run_dirs;
    if (auto missing = check_agent_exe(settings.agent_exe)) {
        std::cerr << "ipc-harness stress: " << console_text(*missing) << "\n";
        return 3;
    }
    install_interrupt_handlers();
    int interrupt = 0;
    Sweep sweep = run_sweep(config, settings, shard, command.quiet, interrupt);
    sweep.tool_version = tool_version;
    write_stress_table(std::cout, sweep);
    const std::string json_path =
        command.json_path.empty() ? command.out_dir + "/stress.json" : command.json_path;
    bool written =
        write_report(json_path, [&](std::ostream& out) { write_stress_json(out, sweep); });
    written &= write_report(command.out_dir + "/stress.html",
                            [&](std::ostream& out) { write_stress_html(out, sweep); });
    written &= write_report(command.markdown,
                            [&](std::ostream& out) { write_stress_markdown(out, sweep); });
    if (!command.quiet && written) std::cout << "json: " << console_text(json_path) << "\n";
    const int code = exit_code(sweep, interrupt);
    return code == 0 && !written ? 3 : code;
}

} // namespace ipch::stress
