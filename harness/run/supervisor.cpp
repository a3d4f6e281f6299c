#include "run/supervisor.hpp"

#include "ipch/futex.hpp"
#include "run/proc_stat.hpp"
#include "run/signals.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <spdlog/spdlog.h>
#include <thread>

namespace ipch {

namespace {

using Clock = std::chrono::steady_clock;

// How often the supervisor looks at its agents: often while something changes (the open
// phases, agents ending), backing off while nothing does, so that a long run with many agents
// does not spend a core on waitpid. Agents never wait for it once released.
constexpr std::chrono::microseconds min_poll(200);
constexpr std::chrono::microseconds max_poll(20'000);

enum class Stage { creators_opening, everyone_opening, released };

void publish(std::atomic<std::uint32_t>& word, std::uint32_t value) {
    word.store(value, std::memory_order_release);
    futex_wake_all(word);
}

bool past_open(const AgentProcess& agent, const ControlBlock& block) {
    const auto state = block.slots[agent.plan->agent_index].state.load(std::memory_order_acquire);
    return agent.exited || state != static_cast<std::uint32_t>(AgentState::starting);
}

std::size_t count_exited(const std::vector<AgentProcess>& agents) {
    return static_cast<std::size_t>(std::count_if(agents.begin(), agents.end(),
                                                  [](const AgentProcess& a) { return a.exited; }));
}

// Creators open first; agents that open existing objects once every creator is past its open
// (successful or not); then everyone is released at once.
Stage next_stage(Stage stage, ControlBlock& block, const std::vector<AgentProcess>& agents) {
    const auto all_past_open = [&](bool creators_only) {
        return std::all_of(agents.begin(), agents.end(), [&](const AgentProcess& a) {
            return (creators_only && a.plan->open_mode == OpenMode::open_existing) ||
                   past_open(a, block);
        });
    };
    if (stage == Stage::creators_opening && all_past_open(true)) {
        publish(block.open_phase, static_cast<std::uint32_t>(OpenPhase::everyone));
        stage = Stage::everyone_opening;
    }
    if (stage == Stage::everyone_opening && all_past_open(false)) {
        publish(block.go, 1);
        stage = Stage::released;
    }
    return stage;
}

// Agents waiting at a barrier re-check the abort word and the others' states when woken.
void wake_barriers(ControlBlock& block) {
    for (std::uint32_t i = 0; i < block.barrier_count; ++i)
        futex_wake_all(control_barriers(block)[i].generation);
}

// An agent that ended without setting a terminal state itself (killed, crashed, or an exit
// before it got there) gets one from the harness, so that participants waiting for it at a
// barrier see it will never arrive. The agent's own last state is kept beside it.
void mark_ended(ControlBlock& block, const AgentProcess& agent) {
    AgentSlot& slot = block.slots[agent.plan->agent_index];
    const auto state = static_cast<AgentState>(slot.state.load(std::memory_order_acquire));
    if (is_terminal(state)) return;
    slot.state_before_end.store(static_cast<std::uint32_t>(state), std::memory_order_relaxed);
    const AgentState end = agent.end == AgentEnd::finished ? AgentState::done : AgentState::crashed;
    slot.state.store(static_cast<std::uint32_t>(end), std::memory_order_release);
    wake_barriers(block);
}

// The state letter of /proc/PID/stat (after the parenthesised command, which may hold spaces);
// '?' when the process is gone.
char process_state(int pid) {
    const auto fields = proc_stat_fields(pid);
    return fields && !fields->empty() ? fields->front().front() : '?';
}

std::uint64_t monotonic_ns() {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000ULL +
           static_cast<std::uint64_t>(now.tv_nsec);
}

// Taken before anything is killed: who holds the lock, and what each agent is doing.
TimeoutSnapshot snapshot(const ControlBlock& block, const std::vector<AgentProcess>& agents,
                         MappingPeek* peek) {
    TimeoutSnapshot shot;
    shot.t_ns = monotonic_ns();
    if (peek != nullptr) shot.owner_word = peek->owner_word();
    for (const AgentProcess& agent : agents) {
        const AgentSlot& slot = block.slots[agent.plan->agent_index];
        AgentAtTimeout seen;
        seen.state = slot.state.load(std::memory_order_acquire);
        seen.op_id = slot.op_id.load(std::memory_order_relaxed);
        seen.t_state_ns = slot.t_state_ns.load(std::memory_order_relaxed);
        if (agent.exited)
            seen.process_state = 'X';
        else if (agent.child)
            seen.process_state = process_state(agent.child->id());
        shot.agents.push_back(seen);
    }
    return shot;
}

void stop(ControlBlock& block, std::vector<AgentProcess>& agents, AgentEnd reason) {
    abort_agents(block);
    for (AgentProcess& agent : agents)
        kill_and_reap(agent, reason);
}

} // namespace

void abort_agents(ControlBlock& block) {
    block.abort.store(1, std::memory_order_release);
    futex_wake_all(block.open_phase);
    futex_wake_all(block.go);
    wake_barriers(block);
}

int supervise(const Plan& plan, ControlBlock& block, std::vector<AgentProcess>& agents,
              Supervision& supervision) {
    const auto deadline = Clock::now() + std::chrono::nanoseconds(plan.timeout_ns);
    // Chaos aims at the lock's holder through the mapping's owner word: none without a peek.
    Chaos* const chaos = supervision.peek != nullptr ? supervision.chaos : nullptr;
    publish(block.open_phase, static_cast<std::uint32_t>(OpenPhase::creators));
    Stage stage = Stage::creators_opening;
    auto poll = min_poll;
    for (;;) {
        const std::size_t exited_before = count_exited(agents);
        for (AgentProcess& agent : agents) {
            if (agent.exited) continue;
            reap(agent);
            if (agent.exited) mark_ended(block, agent);
        }
        if (const int signal = pending_interrupt()) {
            stop(block, agents, AgentEnd::killed_by_harness);
            return signal;
        }
        if (Clock::now() >= deadline) {
            spdlog::warn("run {}: timeout after {} s, killing agents still running", plan.run_id,
                         plan.timeout_ns / 1e9);
            supervision.at_timeout = snapshot(block, agents, supervision.peek);
            stop(block, agents, AgentEnd::killed_at_timeout);
            return 0;
        }
        if (chaos != nullptr) chaos->step(agents, *supervision.peek);
        const Stage before = stage;
        stage = next_stage(stage, block, agents);
        if (chaos != nullptr && stage == Stage::released) chaos->begin(Clock::now());
        const std::size_t exited = count_exited(agents);
        if (exited == agents.size()) return 0;
        poll =
            (stage != before || exited != exited_before) ? min_poll : std::min(poll * 2, max_poll);
        auto sleep = std::min<Clock::duration>(
            poll, std::max<Clock::duration>(deadline - Clock::now(), Clock::duration(0)));
        if (chaos != nullptr) sleep = std::min(sleep, chaos->until_next());
        std::this_thread::sleep_for(sleep);
    }
}

} // namespace ipch
