// Chaos: while a run's agents run, the supervisor SIGKILLs or SIGSTOPs random agents at random
// moments, half of them aimed at an agent inside the critical section (found by freezing agents
// and reading the mapping's owner word), the others at any agent. Every choice comes from the
// case's seed, so a run can be repeated (the moments are the same; what each agent is doing then
// depends on the scheduler).
#pragma once

#include "plan.hpp"
#include "run/agent_process.hpp"
#include "run/chaos_options.hpp"
#include "run/mapping_peek.hpp"

#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace ipch {

class Chaos {
  public:
    using Clock = std::chrono::steady_clock;
    Chaos(const ChaosOptions& options, std::uint64_t seed);

    // The run has started (the start barrier released every agent): the moments count from
    // `at`. Before it nothing is sent: an agent killed before its event log exists, or while it
    // opens, would say nothing about the run's IPC. Later calls change nothing.
    void begin(Clock::time_point at);

    // Sends what is due by now; a due action aimed at the lock holder watches the owner word for
    // a short while (sections are short) and falls back to a random agent.
    void step(std::vector<AgentProcess>& agents, MappingPeek& peek);

    // How long the supervisor may sleep before the next action is due (before begin(): forever).
    Clock::duration until_next() const;

    const std::vector<ChaosAction>& actions() const { return actions_; }

  private:
    void schedule_next();
    void act(std::vector<AgentProcess>& agents, MappingPeek& peek);
    std::optional<bool> freeze_and_look(const AgentProcess& agent, std::size_t index,
                                        MappingPeek& peek);

    ChaosOptions options_;
    // Three streams, so that the moments and the kinds of signal stay the seed's whatever the
    // scheduler made of the earlier aimed signals (how many agents each one froze).
    std::mt19937_64 moments_;
    std::mt19937_64 choices_;
    std::mt19937_64 targets_;
    bool begun_ = false;
    Clock::time_point start_;
    Clock::time_point next_;
    std::vector<bool> hit_; // signalled already: never aimed at again
    std::vector<ChaosAction> actions_;
};

} // namespace ipch
