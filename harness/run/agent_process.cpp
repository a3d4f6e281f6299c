#include "run/agent_process.hpp"

#include "run.hpp"

#include <boost/process/args.hpp>
#include <boost/process/env.hpp>
#include <boost/process/error.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

namespace ipch {

namespace bp = boost::process;

namespace {

struct OwnProcessGroup : bp::extend::handler {
    template <typename Executor>
    void on_exec_setup(Executor&) const {
        ::setpgid(0, 0);
    }
};

// Records how a reaped child ended, from its raw wait status.
void classify_exit(AgentProcess& agent, int status) {
    agent.exited = true;
    if (WIFSIGNALED(status)) {
        agent.end = AgentEnd::crashed;
        agent.signal = WTERMSIG(status);
    } else {
        agent.exit_code = WEXITSTATUS(status);
        agent.end = agent.exit_code == 0 ? AgentEnd::finished : AgentEnd::error_exit;
    }
}

// Why an agent did not start. Its exec may have failed in a child that Boost.Process 1.74 does
// not reap: that child is an agent of ours, reaped here (WNOHANG: the started ones go on).
std::string spawn_failure(const AgentPlan& agent, const std::vector<std::string>& command,
                          const std::string& why, std::error_code error = {}) {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    std::string text =
        "cannot start agent '" + agent.agent_name + "' (" + command.front() + "): " + why;
    if (error == std::errc::resource_unavailable_try_again)
        text += " (the process limit is reached: RLIMIT_NPROC, or the system's; " +
                std::to_string(agent.agent_id - 1) + " agents had started)";
    return text;
}

} // namespace

std::filesystem::path default_agent_exe() {
    namespace fs = std::filesystem;
    if (const char* env = std::getenv("IPCH_AGENT")) return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path("ipc-agent") : self.parent_path() / "ipc-agent";
}

std::optional<std::string> check_agent_exe(const std::filesystem::path& exe) {
    if (::access(exe.c_str(), X_OK) == 0) return std::nullopt;
    return "cannot run the agent '" + exe.string() + "': " + std::strerror(errno) +
           " (build it, or name it with --agent or $IPCH_AGENT)";
}

std::vector<std::string> agent_command(const Plan& plan, std::size_t agent,
                                       const std::filesystem::path& agent_exe) {
    const std::string plan_file = std::filesystem::absolute(plan.plan_files.at(agent)).string();
    std::vector<std::string> command = agent < plan.commands.size() && !plan.commands[agent].empty()
                                           ? plan.commands[agent]
                                           : std::vector<std::string>{agent_exe.string()};
    command.push_back(plan_file);
    return command;
}

std::optional<std::string> spawn_agents(const Plan& plan, const std::filesystem::path& agent_exe,
                                        std::vector<AgentProcess>& agents) {
    const std::string harness_pid = std::to_string(::getpid());
    for (std::size_t i = 0; i < plan.agents.size(); ++i) {
        const AgentPlan& agent_plan = plan.agents[i];
        const auto stem = (plan.run_dir / agent_plan.agent_name).string();
        const std::vector<std::string> command = agent_command(plan, i, agent_exe);
        // Errors come back in `error`, not as an exception: Boost.Process 1.74 throws on a
        // failed exec but not on a failed fork (EAGAIN at the process limit), which leaves an
        // empty child whose pid, -1, would make every later waitpid reap any child at all.
        std::error_code error;
        try {
            agents[i].child.emplace(
                bp::exe = command.front(),
                bp::args = std::vector<std::string>(command.begin() + 1, command.end()),
                bp::std_out > (stem + ".stdout"), bp::std_err > (stem + ".stderr"),
                bp::std_in < bp::null, bp::env["IPCH_HARNESS_PID"] = harness_pid,
                bp::env["IPCH_PLAN"] = command.back(), OwnProcessGroup{}, bp::error(error));
        } catch (const std::exception& e) {
            agents[i].child.reset();
            return spawn_failure(agent_plan, command, e.what());
        }
        if (error || agents[i].child->id() <= 0) {
            agents[i].child.reset();
            return spawn_failure(agent_plan, command,
                                 error ? error.message() : "no process was made", error);
        }
    }
    return std::nullopt;
}

void reap(AgentProcess& agent) {
    if (agent.exited || !agent.child) return;
    std::error_code ec;
    if (!agent.child->running(ec) && !ec) classify_exit(agent, agent.child->native_exit_code());
}

void kill_and_reap(AgentProcess& agent, AgentEnd reason) {
    if (agent.exited || !agent.child) return;
    ::kill(agent.child->id(), SIGKILL);
    std::error_code ec;
    agent.child->wait(ec);
    agent.exited = true;
    const int status = agent.child->native_exit_code();
    // The harness sets the abort word before it kills: an agent that saw it first and left
    // (exit 4) was stopped by the harness all the same.
    const bool left_on_abort = WIFEXITED(status) && WEXITSTATUS(status) == agent_exit_aborted;
    if (!ec && !left_on_abort &&
        (WIFEXITED(status) || (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)))
        return classify_exit(agent, status);
    agent.end = reason;
    agent.exit_code = left_on_abort ? agent_exit_aborted : 0;
    agent.signal = left_on_abort ? 0 : SIGKILL;
}

} // namespace ipch
