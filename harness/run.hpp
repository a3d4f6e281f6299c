// Running a plan: objects, agent processes, the start barrier, supervision and clean-up.
#pragma once

#include "chaos_action.hpp"
#include "hang_forensics.hpp"
#include "history.hpp"
#include "plan.hpp"
#include "run/chaos_options.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ipch {

struct RunOptions {
    std::filesystem::path agent_exe; // the built-in agent, ipc-agent
    std::optional<ChaosOptions> chaos =
        std::nullopt; // --chaos: signal random agents, seeded by the plan's seed
};

struct RunReport {
    History history;
    std::vector<std::string> errors; // what kept the harness from running the plan
    bool could_not_run = false;      // exit code 3 territory
    int interrupt_signal = 0;        // SIGINT/SIGTERM received during the run, else 0
    double duration_s = 0;
    std::vector<ChaosAction> chaos;    // what --chaos did, in order
    std::optional<HangForensics> hang; // when the timeout expired
};

// The built-in agent: $IPCH_AGENT, else ipc-agent beside this executable.
std::filesystem::path default_agent_exe();

// Runs every agent of the plan to its end (or the plan's timeout), then reads their logs.
// Every named object of the run is removed before it returns, whatever happened.
RunReport run_agents(const Plan& plan, const RunOptions& options);

} // namespace ipch
