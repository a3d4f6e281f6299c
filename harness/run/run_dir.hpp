// A run directory after the run: what the harness leaves there for a later look (how each agent
// ended, beside the plans and event logs the agents left), and reading it all back into a plan
// and a history, so `ipc-harness check DIR` can judge a kept run again without running it.
#pragma once

#include "history.hpp"
#include "plan.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace ipch {

// The file in a run directory that says how each agent ended.
inline constexpr const char* agent_ends_file = "agents.json";

// Writes agents.json: per agent its id, name, end, exit code, signal, and where the harness's
// control object last saw it. Returns false when the file cannot be written.
bool write_agent_ends(const std::filesystem::path& run_dir, const History& history);

struct LoadedRun {
    Plan plan;       // the agents' plans and the run's shape, as far as plan files tell it
    History history; // their events and ends
    // What could not be taken from the directory and was assumed instead, one sentence each.
    std::vector<std::string> notes;
};

// Reads a run directory: every *.plan.json, each agent's event log, and agents.json when it is
// there (without it, an agent whose log says it finished counts as finished, any other as
// crashed: its last op is then indeterminate, never a violation). Damaged logs are read up to
// their last valid record (AgentHistory::log_damage). Throws std::runtime_error, with a
// sentence naming the file, when the directory holds no plan or a plan cannot be read.
LoadedRun load_run_dir(const std::filesystem::path& run_dir);

} // namespace ipch
