#include "ipch/futex.hpp"
#include "ipch/mapping_layout.hpp"
#include "run.hpp"
#include "run/name_lock.hpp"
#include "run/named_objects.hpp"
#include "run/signals.hpp"

#include <algorithm>
#include <boost/process/child.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <optional>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ipch {

namespace bp = boost::process;

namespace {

using Clock = std::chrono::steady_clock;

// How often the supervisor looks at its agents: often while something changes (the open
// phases, agents ending), backing off while nothing does, so that a long run with many agents
// does not spend a core on waitpid. Agents never wait for it once released.
constexpr std::chrono::microseconds min_poll(200);
constexpr std::chrono::microseconds max_poll(20'000);

// Agent exit codes that mean the agent could not even start its work (docs/agent-protocol.md):
// 2 an unreadable plan, 3 its own set-up failed. The harness, not the system under test, failed.
constexpr int agent_exit_bad_plan = 2;
constexpr int agent_exit_setup_failed = 3;

// Puts the agent in a process group of its own, so that a Ctrl-C on the terminal reaches the
// harness alone: it then stops the agents itself and reports them as stopped, not crashed.
struct OwnProcessGroup : bp::extend::handler {
    template <typename Executor>
    void on_exec_setup(Executor&) const {
        ::setpgid(0, 0);
    }
};

struct AgentProcess {
    const AgentPlan* plan = nullptr;
    std::optional<bp::child> child;
    bool exited = false;
    AgentEnd end = AgentEnd::not_started;
    int exit_code = 0;
    int signal = 0;
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

void reap(AgentProcess& agent) {
    if (agent.exited || !agent.child) return;
    std::error_code ec;
    if (!agent.child->running(ec) && !ec) classify_exit(agent, agent.child->native_exit_code());
}

// SIGKILL then wait: Boost.Process 1.74's terminate() leaves a zombie behind.
void kill_and_reap(AgentProcess& agent, AgentEnd reason) {
    if (agent.exited || !agent.child) return;
    ::kill(agent.child->id(), SIGKILL);
    std::error_code ec;
    agent.child->wait(ec);
    agent.exited = true;
    const int status = agent.child->native_exit_code();
    // An agent that ended on its own just before the kill (an exit, or a crash by another
    // signal) keeps its own ending.
    if (!ec && (WIFEXITED(status) || (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)))
        return classify_exit(agent, status);
    agent.end = reason;
    agent.signal = SIGKILL;
}

// Every started agent is killed and reaped when this goes out of scope, whatever the path out:
// ~child() alone would call terminate(), which leaves zombies in Boost 1.74.
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

// Locks the plan's fixed names for this run; a name another run holds is a refusal.
std::optional<std::string> lock_fixed_names(const Plan& plan, NameLock& mapping, NameLock& mutex) {
    std::string why;
    if (plan.mapping.fixed && !mapping.try_take(plan.mapping.name, why)) return why;
    if (plan.mutex.fixed && plan.mutex.name != plan.mapping.name &&
        !mutex.try_take(plan.mutex.name, why))
        return why;
    return std::nullopt;
}

std::optional<std::string> refuse_existing_names(const Plan& plan) {
    if (plan.reuse) return std::nullopt;
    if (plan.mapping.fixed && shm_exists(plan.mapping.name))
        return "the mapping '" + plan.mapping.name +
               "' already exists (left by another program or an earlier run?); remove it (rm "
               "/dev/shm/" +
               plan.mapping.name + "), or set `reuse: true` in the scenario";
    if (plan.mutex.fixed && plan.mutex_kind == MutexKind::named_mutex &&
        named_mutex_exists(plan.mutex.name))
        return "the mutex '" + plan.mutex.name +
               "' already exists (left by another program or an earlier run?); remove it (rm "
               "/dev/shm/sem." +
               plan.mutex.name + "), or set `reuse: true` in the scenario";
    return std::nullopt;
}

bool past_open(const AgentProcess& agent, const ControlBlock& block) {
    const auto state = block.slots[agent.plan->agent_index].state.load(std::memory_order_acquire);
    return agent.exited || state != static_cast<std::uint32_t>(AgentState::starting);
}

void publish(std::atomic<std::uint32_t>& word, std::uint32_t value) {
    word.store(value, std::memory_order_release);
    futex_wake_all(word);
}

// Tells agents waiting at the open or the start barrier to leave (they re-check `abort` when
// woken), before they are killed anyway.
void abort_agents(ControlBlock& block) {
    block.abort.store(1, std::memory_order_release);
    futex_wake_all(block.open_phase);
    futex_wake_all(block.go);
}

class Supervisor {
  public:
    Supervisor(const Plan& plan, ControlBlock& block, std::vector<AgentProcess>& agents)
        : plan_(plan), block_(block), agents_(agents) {}

    // Drives the open phases and the start barrier, then waits for every agent to end.
    void run(RunReport& report) {
        const auto deadline = Clock::now() + std::chrono::nanoseconds(plan_.timeout_ns);
        publish(block_.open_phase, static_cast<std::uint32_t>(OpenPhase::creators));
        Stage stage = Stage::creators_opening;
        auto poll = min_poll;
        for (;;) {
            const auto exited_before = count_exited();
            for (AgentProcess& agent : agents_)
                reap(agent);
            if (const int signal = pending_interrupt()) {
                report.interrupt_signal = signal;
                return stop(AgentEnd::killed_by_harness);
            }
            if (Clock::now() >= deadline) {
                report.history.timed_out = true;
                spdlog::warn("run {}: timeout after {} s, killing agents still running",
                             plan_.run_id, plan_.timeout_ns / 1e9);
                return stop(AgentEnd::killed_at_timeout);
            }
            const Stage before = stage;
            stage = next_stage(stage);
            const auto exited = count_exited();
            if (exited == agents_.size()) return;
            poll = (stage != before || exited != exited_before) ? min_poll
                                                                : std::min(poll * 2, max_poll);
            std::this_thread::sleep_for(std::min<Clock::duration>(
                poll, std::max<Clock::duration>(deadline - Clock::now(), Clock::duration(0))));
        }
    }

  private:
    enum class Stage { creators_opening, everyone_opening, released };

    std::size_t count_exited() const {
        return static_cast<std::size_t>(std::count_if(
            agents_.begin(), agents_.end(), [](const AgentProcess& a) { return a.exited; }));
    }

    Stage next_stage(Stage stage) {
        const auto all_past_open = [&](bool creators_only) {
            return std::all_of(agents_.begin(), agents_.end(), [&](const AgentProcess& a) {
                return (creators_only && a.plan->open_mode == OpenMode::open_existing) ||
                       past_open(a, block_);
            });
        };
        if (stage == Stage::creators_opening && all_past_open(true)) {
            publish(block_.open_phase, static_cast<std::uint32_t>(OpenPhase::everyone));
            stage = Stage::everyone_opening;
        }
        if (stage == Stage::everyone_opening && all_past_open(false)) {
            publish(block_.go, 1);
            stage = Stage::released;
        }
        return stage;
    }

    void stop(AgentEnd reason) {
        abort_agents(block_);
        for (AgentProcess& agent : agents_)
            kill_and_reap(agent, reason);
    }

    const Plan& plan_;
    ControlBlock& block_;
    std::vector<AgentProcess>& agents_;
};

bool spawn_all(const Plan& plan, const RunOptions& options, std::vector<AgentProcess>& agents,
               RunReport& report) {
    for (std::size_t i = 0; i < plan.agents.size(); ++i) {
        AgentProcess& agent = agents[i];
        const AgentPlan& agent_plan = plan.agents[i];
        const auto stem = plan.run_dir / agent_plan.agent_name;
        // Output goes to files, never to a pipe: a pipe nobody drains blocks the agent.
        try {
            agent.child.emplace(options.agent_exe.string(), plan.plan_files.at(i).string(),
                                bp::std_out > (stem.string() + ".stdout"),
                                bp::std_err > (stem.string() + ".stderr"), bp::std_in < bp::null,
                                OwnProcessGroup{});
        } catch (const std::exception& e) {
            report.errors.push_back("cannot start agent '" + agent_plan.agent_name + "' (" +
                                    options.agent_exe.string() + "): " + e.what());
            report.could_not_run = true;
            // Boost.Process 1.74 does not reap the child whose exec failed: do it here.
            while (::waitpid(-1, nullptr, WNOHANG) > 0) {
            }
            return false;
        }
    }
    return true;
}

std::optional<std::string> check_agent_exe(const std::filesystem::path& exe) {
    if (::access(exe.c_str(), X_OK) == 0) return std::nullopt;
    return "cannot run the agent '" + exe.string() + "': " + std::strerror(errno) +
           " (build it, or name it with --agent or $IPCH_AGENT)";
}

std::string first_line_of(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Agents that could not start their work (exit 2 or 3) make the run a harness error: what
// failed is the harness's set-up, not the system under test.
void report_agent_setup_failures(const Plan& plan, const std::vector<AgentProcess>& agents,
                                 RunReport& report) {
    for (const AgentProcess& agent : agents) {
        if (agent.end != AgentEnd::error_exit ||
            (agent.exit_code != agent_exit_bad_plan && agent.exit_code != agent_exit_setup_failed))
            continue;
        const auto stderr_file = plan.run_dir / (agent.plan->agent_name + ".stderr");
        report.errors.push_back("agent '" + agent.plan->agent_name + "' could not set up (exit " +
                                std::to_string(agent.exit_code) +
                                "): " + first_line_of(stderr_file));
        report.could_not_run = true;
    }
}

History read_history(const std::vector<AgentProcess>& agents) {
    History history;
    for (const AgentProcess& agent : agents) {
        AgentHistory h = read_agent_log(agent.plan->log_path, agent.plan->agent_id);
        h.name = agent.plan->agent_name;
        h.group = agent.plan->group;
        h.end = agent.end;
        h.exit_code = agent.exit_code;
        h.signal = agent.signal;
        h.op_labels = op_labels(*agent.plan);
        history.agents.push_back(std::move(h));
    }
    return history;
}

} // namespace

RunReport run_agents(const Plan& plan, const RunOptions& options) {
    const auto started = Clock::now();
    RunReport report;
    const auto finish = [&]() -> RunReport {
        report.duration_s = std::chrono::duration<double>(Clock::now() - started).count();
        return std::move(report);
    };
    NameLock mapping_lock, mutex_lock;
    if (auto busy = lock_fixed_names(plan, mapping_lock, mutex_lock)) {
        report.errors.push_back(*busy);
        report.could_not_run = true;
        return finish();
    }
    // Checked before the guard exists: an object that was there before us is not ours to remove.
    if (auto refusal = refuse_existing_names(plan)) {
        report.errors.push_back(*refusal);
        report.could_not_run = true;
        return finish();
    }
    if (auto missing = check_agent_exe(options.agent_exe)) {
        report.errors.push_back(*missing);
        report.could_not_run = true;
        return finish();
    }
    RunObjectsGuard guard(plan);
    std::optional<ControlObject> control;
    try {
        control.emplace(plan.control.name, static_cast<std::uint32_t>(plan.agents.size()));
    } catch (const std::exception& e) {
        report.errors.push_back(e.what());
        report.could_not_run = true;
        return finish();
    }

    std::vector<AgentProcess> agents(plan.agents.size());
    for (std::size_t i = 0; i < agents.size(); ++i)
        agents[i].plan = &plan.agents[i];
    ReapAll reap_all(agents);

    Supervisor supervisor(plan, control->block(), agents);
    if (spawn_all(plan, options, agents, report)) {
        supervisor.run(report);
    } else {
        abort_agents(control->block());
        for (AgentProcess& agent : agents)
            kill_and_reap(agent, AgentEnd::killed_by_harness);
    }
    report_agent_setup_failures(plan, agents, report);
    const bool timed_out = report.history.timed_out;
    report.history = read_history(agents);
    report.history.timed_out = timed_out;
    report.history.interrupted = report.interrupt_signal != 0;
    if (const auto layout = mapping_layout(plan.mapping_size, lock_bytes_for(plan.mutex_kind)))
        report.history.payload_capacity = layout->capacity;
    guard.remove_all();
    return finish();
}

} // namespace ipch
