#include "ipch/futex.hpp"
#include "ipch/mapping_layout.hpp"
#include "run.hpp"
#include "run/named_objects.hpp"
#include "run/signals.hpp"

#include <algorithm>
#include <boost/process/child.hpp>
#include <boost/process/io.hpp>
#include <chrono>
#include <csignal>
#include <optional>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <thread>

namespace ipch {

namespace bp = boost::process;

namespace {

using Clock = std::chrono::steady_clock;

// How often the supervisor looks at its agents. Agents never wait for it once released, so
// this only adds latency to noticing an exit, not to what is measured.
constexpr auto poll_interval = std::chrono::microseconds(500);

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
    int status = agent.child->native_exit_code();
    if (ec) status = 0; // already reaped elsewhere: still count it as killed by us
    // An agent that finished on its own just before the kill keeps its own ending.
    if (!ec && WIFEXITED(status)) return classify_exit(agent, status);
    agent.end = reason;
    agent.signal = SIGKILL;
}

std::optional<std::string> refuse_existing_names(const Plan& plan) {
    if (plan.reuse) return std::nullopt;
    if (plan.mapping.fixed && shm_exists(plan.mapping.name))
        return "the mapping '" + plan.mapping.name +
               "' already exists (left by another program or an earlier run?); remove it, or "
               "set `reuse: true` in the scenario";
    if (plan.mutex.fixed && plan.mutex_kind == MutexKind::named_mutex &&
        named_mutex_exists(plan.mutex.name))
        return "the mutex '" + plan.mutex.name +
               "' already exists (left by another program or an earlier run?); remove it, or "
               "set `reuse: true` in the scenario";
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

class Supervisor {
  public:
    Supervisor(const Plan& plan, ControlBlock& block, std::vector<AgentProcess>& agents)
        : plan_(plan), block_(block), agents_(agents) {}

    // Drives the open phases and the start barrier, then waits for every agent to end.
    void run(RunReport& report) {
        const auto deadline = Clock::now() + std::chrono::nanoseconds(plan_.timeout_ns);
        publish(block_.open_phase, static_cast<std::uint32_t>(OpenPhase::creators));
        Stage stage = Stage::creators_opening;
        for (;;) {
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
            stage = next_stage(stage);
            if (std::all_of(agents_.begin(), agents_.end(),
                            [](const AgentProcess& a) { return a.exited; }))
                return;
            std::this_thread::sleep_for(poll_interval);
        }
    }

  private:
    enum class Stage { creators_opening, everyone_opening, released };

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
        publish(block_.abort, 1);
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
                                bp::std_err > (stem.string() + ".stderr"), bp::std_in < bp::null);
        } catch (const std::exception& e) {
            report.errors.push_back("cannot start agent '" + agent_plan.agent_name + "' (" +
                                    options.agent_exe.string() + "): " + e.what());
            report.could_not_run = true;
            return false;
        }
    }
    return true;
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
    // Checked before the guard exists: an object that was there before us is not ours to remove.
    if (auto refusal = refuse_existing_names(plan)) {
        report.errors.push_back(*refusal);
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

    Supervisor supervisor(plan, control->block(), agents);
    if (spawn_all(plan, options, agents, report)) {
        supervisor.run(report);
    } else {
        publish(control->block().abort, 1);
        for (AgentProcess& agent : agents)
            kill_and_reap(agent, AgentEnd::killed_by_harness);
    }
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
