// Agent processes: starting them (Boost.Process), noticing how they ended, and stopping them
// without leaving zombies.
#pragma once

#include "history.hpp"
#include "plan.hpp"

#include <boost/process/child.hpp>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ipch {

// Agent exit codes that mean the agent could not even start its work (docs/agent-protocol.md):
// 2 an unreadable plan, 3 its own set-up failed. The harness, not the system under test, failed.
inline constexpr int agent_exit_bad_plan = 2;
inline constexpr int agent_exit_setup_failed = 3;
// 4: the agent left because the harness aborted the run (or its start barrier timed out).
inline constexpr int agent_exit_aborted = 4;

struct AgentProcess {
    const AgentPlan* plan = nullptr;
    std::optional<boost::process::child> child;
    bool exited = false;
    AgentEnd end = AgentEnd::not_started;
    int exit_code = 0;
    int signal = 0;
};

// Why the agent executable cannot be run, or nullopt when it can.
std::optional<std::string> check_agent_exe(const std::filesystem::path& exe);

// What runs agent number `agent` (0-based): ipc-agent, or the external agent's command, then the
// plan file's absolute path as the last argument.
std::vector<std::string> agent_command(const Plan& plan, std::size_t agent,
                                       const std::filesystem::path& agent_exe);

// Starts every agent of the plan, each in a process group of its own (a terminal's Ctrl-C then
// reaches the harness alone), with stdout and stderr to files in the run directory: never a
// pipe, which blocks an agent when nobody drains it. Every agent gets the controller's pid in
// IPCH_HARNESS_PID and its plan file's path in IPCH_PLAN. Stops at the first failure and says
// why.
std::optional<std::string> spawn_agents(const Plan& plan, const std::filesystem::path& agent_exe,
                                        std::vector<AgentProcess>& agents);

// Notes the agent's ending if it has ended; never blocks.
void reap(AgentProcess& agent);

// SIGKILL, then wait (Boost.Process 1.74's terminate() leaves a zombie). An agent that ended on
// its own just before keeps its own ending; otherwise it ended for `reason`.
void kill_and_reap(AgentProcess& agent, AgentEnd reason);

// Every started agent is killed and reaped when this goes out of scope, whatever the path out:
// ~child() alone would call terminate().
class ReapAll {
  public:
    explicit ReapAll(std::vector<AgentProcess>& agents) : agents_(agents) {}
    ReapAll(const ReapAll&) = delete;
    ReapAll& operator=(const ReapAll&) = delete;
    ~ReapAll() {
        for (AgentProcess& agent : agents_)
            kill_and_reap(agent, AgentEnd::killed_by_harness);
    }

  private:
    std::vector<AgentProcess>& agents_;
};

} // namespace ipch
