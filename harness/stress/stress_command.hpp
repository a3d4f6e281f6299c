// `ipc-harness stress` and `ipc-harness compare`: their options and their pipelines
// (docs/stress.md). main.cpp only registers them and calls them.
#pragma once

#include "run/shard.hpp"
#include "stress/stress.hpp"

#include <CLI/CLI.hpp>
#include <string>
#include <variant>
#include <vector>

namespace ipch::stress {

// The options as typed: checked all at once by parse_stress_options.
struct StressCommand {
    std::string backends = "named_mutex";
    std::string mapping = "shm";
    std::string agents = "1,2,4,16";
    std::string duration = "2s";
    std::string warmup = "0s";
    std::string hold = "0s";
    std::string payload = "64";
    std::string repeat = "1";
    bool pin = false;
    std::string timing = "sampled"; // full, sampled (every 64th), sampled:K
    std::string clock = "auto";     // auto (the TSC where invariant), monotonic
    std::string out_dir = "ipch-stress";
    std::string json_path; // default: OUT/stress.json
    std::string agent_exe; // default: ipc-agent beside ipc-harness, or $IPCH_AGENT
    bool keep_run_dirs = false;
    bool quiet = false;
    Shard shard;          // --shard K/N: only this slice of the cases (run/shard.hpp)
    std::string markdown; // --markdown FILE: a summary for a CI job's page
};

CLI::App* add_stress_command(CLI::App& app, StressCommand& command);
// Runs the sweep: progress on stderr, the table on stdout, the JSON file. Exit code: 0 every case
// ran and held, 1 a property failed, 2 bad options, 3 a case could not run, 128+N interrupted.
int stress_command(const StressCommand& command, const std::string& tool_version);

// The typed options, or every problem with them ("--agents: '0' is not ...; expected ...").
std::variant<StressConfig, std::vector<std::string>>
parse_stress_options(const StressCommand& command);

struct CompareCommand {
    std::string old_path;
    std::string new_path;
    double threshold_percent = 10;
};

CLI::App* add_compare_command(CLI::App& app, CompareCommand& command);
// Exit code: 1 on a regression, 0 otherwise, 2 on bad input.
int compare_command(const CompareCommand& command);

} // namespace ipch::stress
