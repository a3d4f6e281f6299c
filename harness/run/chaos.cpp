#include "run/chaos.hpp"

#include <algorithm>
#include <csignal>
#include <sys/wait.h>

namespace ipch {

namespace {

// How long an action aimed at the holder looks for one before it settles for any agent: long
// enough to meet many short sections, short beside any timeout.
constexpr std::chrono::milliseconds holder_watch(50);

double seconds_between(Chaos::Clock::time_point start, Chaos::Clock::time_point end) {
    return std::chrono::duration<double>(end - start).count();
}

} // namespace

std::optional<ChaosOptions> parse_chaos(const std::string& text, std::string& why) {
    ChaosOptions options;
    const std::size_t colon = text.find(':');
    const std::string kinds = text.substr(0, colon);
    for (std::size_t start = 0; start <= kinds.size();) {
        const std::size_t comma = std::min(kinds.find(',', start), kinds.size());
        const std::string kind = kinds.substr(start, comma - start);
        if (kind == "kill")
            options.kill = true;
        else if (kind == "stop")
            options.stop = true;
        else {
            why = "'" + kind + "' is not a chaos action; expected kill, stop or kill,stop";
            return std::nullopt;
        }
        start = comma + 1;
    }
    if (colon == std::string::npos) return options;
    const std::string rate = text.substr(colon + 1);
    std::size_t used = 0;
    try {
        options.rate = std::stod(rate, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != rate.size() || !(options.rate > 0) || options.rate > 1e6) {
        why = "'" + rate + "' is not a rate; expected actions per second, above 0 (e.g. 20)";
        return std::nullopt;
    }
    return options;
}

Chaos::Chaos(const ChaosOptions& options, std::uint64_t seed)
    : options_(options), moments_(seed ^ 0x63686173ULL), choices_(seed ^ 0x6b696e64ULL),
      targets_(seed ^ 0x77686f6dULL) {}

void Chaos::begin(Clock::time_point at) {
    if (begun_) return;
    begun_ = true;
    start_ = at;
    next_ = at;
    schedule_next();
}

// Moments of a Poisson process: uniform over the run, none of them planned from its length.
void Chaos::schedule_next() {
    std::exponential_distribution<double> gap(options_.rate);
    next_ +=
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap(moments_)));
}

Chaos::Clock::duration Chaos::until_next() const {
    if (!begun_) return Clock::duration::max();
    return std::max<Clock::duration>(next_ - Clock::now(), Clock::duration(0));
}

void Chaos::step(std::vector<AgentProcess>& agents, MappingPeek& peek) {
    if (!begun_) return;
    hit_.resize(agents.size(), false);
    while (Clock::now() >= next_) {
        act(agents, peek);
        schedule_next();
    }
}

// Freezes the agent (SIGSTOP, then waits until it is stopped or has ended) and says whether it
// is inside the lock as it stands: a frozen agent cannot change the owner word. nullopt: it had
// ended already (on its own, not yet reaped), and no signal of the chaos reached it.
std::optional<bool> Chaos::freeze_and_look(const AgentProcess& agent, std::size_t index,
                                           MappingPeek& peek) {
    const pid_t pid = agent.child->id();
    ::kill(pid, SIGSTOP);
    siginfo_t info{};
    // WNOWAIT: the supervisor's own wait still sees the ending, if the agent ended meanwhile.
    if (::waitid(P_PID, static_cast<id_t>(pid), &info, WSTOPPED | WEXITED | WNOWAIT) != 0 ||
        info.si_code != CLD_STOPPED)
        return std::nullopt;
    const auto word = peek.owner_word();
    return word && peek.owner_agent(*word) == index;
}

void Chaos::act(std::vector<AgentProcess>& agents, MappingPeek& peek) {
    const bool kill = options_.kill && (!options_.stop || choices_() % 2 == 0);
    const bool aim_at_holder = choices_() % 2 == 0;
    std::vector<std::size_t> targets; // alive, and not signalled before
    for (std::size_t i = 0; i < agents.size(); ++i)
        if (!agents[i].exited && agents[i].child && !hit_[i]) targets.push_back(i);
    if (targets.empty()) return;
    std::size_t target = targets[targets_() % targets.size()];
    std::optional<bool> inside;
    if (aim_at_holder) {
        // Sections are short and this process is not always scheduled when one is held: freeze
        // an agent (the one the owner word names, else a random one), and if it is not inside,
        // let it go on and try again, for a while.
        const auto until = Clock::now() + holder_watch;
        while (!inside.value_or(false) && Clock::now() < until && !targets.empty()) {
            const auto word = peek.owner_word();
            const auto holder = word ? peek.owner_agent(*word) : std::nullopt;
            target = holder && std::find(targets.begin(), targets.end(), *holder) != targets.end()
                         ? *holder
                         : targets[targets_() % targets.size()];
            inside = freeze_and_look(agents[target], target, peek);
            if (!inside) std::erase(targets, target); // it ended on its own
            if (inside == false) ::kill(agents[target].child->id(), SIGCONT);
        }
        if (targets.empty()) return;
        if (!inside.value_or(false)) target = targets[targets_() % targets.size()];
    }
    if (!inside.value_or(false)) inside = freeze_and_look(agents[target], target, peek);
    hit_[target] = true;
    if (!inside) return; // it ended on its own just now: nothing to signal
    const int signal = kill ? SIGKILL : SIGSTOP;
    if (kill) ::kill(agents[target].child->id(), SIGKILL);
    actions_.push_back(ChaosAction{agents[target].plan->agent_name, signal,
                                   seconds_between(start_, next_),
                                   seconds_between(start_, Clock::now()), *inside});
}

} // namespace ipch
