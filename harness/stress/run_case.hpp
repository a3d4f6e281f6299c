// Running one stress case through the ordinary pipeline: plan, run, check, measure.
#pragma once

#include "stress/stress.hpp"

#include <filesystem>

namespace ipch::stress {

struct RunSettings {
    std::filesystem::path agent_exe;
    std::filesystem::path out_dir; // run directories go to OUT/runs/
    bool keep_run_dirs = false;    // else only a failed case's is kept
};

// Plans the case, runs its agents (each pinned to a core with config.pin), checks its history
// and measures it. What keeps it from running is a StressCase with could_not_run, never an
// exception. Every named object is removed before it returns (run_agents).
StressCase run_case(const StressConfig& config, const CaseKey& key, const RunSettings& settings);

// The command that starts agent `index` pinned to one of `cpus`: taskset -c CPU AGENT_EXE.
std::vector<std::string> pinned_command(const std::filesystem::path& taskset,
                                        const std::vector<int>& cpus, std::size_t index,
                                        const std::filesystem::path& agent_exe);

// The CPUs this process may run on (sched_getaffinity), lowest first.
std::vector<int> allowed_cpus();

} // namespace ipch::stress
