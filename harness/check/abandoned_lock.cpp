// abandoned-lock: an agent that dies inside its critical section (a crash holding the lock, or
// mid-write) leaves the lock to whoever asks next. The lock either comes back — a robust mutex
// hands it over with EOWNERDEAD (the taker's event is flagged `recovered`), a file lock is
// released by the kernel — or nobody gets it again and the agents still waiting for it are ended
// by the run's timeout: a deadlock, which the harness reports rather than hangs on.
//
// Judged from the lock order: every stamp after the dead holder's is a section someone acquired
// after the death. Not applicable without a death inside a section, without a lock under test,
// or when nobody else wanted the lock afterwards.
#include "check/detail.hpp"

#include <algorithm>
#include <optional>

namespace ipch::check {

namespace {

// The first section a dead holder left unreleased, in lock order.
struct Abandoned {
    EventRef ref;
    std::uint64_t stamp = 0;
    std::uint64_t t_acquired = 0;
};

// The first section acquired after the death, in lock order.
struct Taken {
    EventRef ref;
    std::uint64_t stamp = 0;
    bool recovered = false;
};

// Still waiting when the run's timeout ended it: the deadlock's witness. An agent the harness
// stopped for another reason (an interrupt) had not waited the whole timeout: no verdict.
bool ended_waiting(const AgentHistory& agent) {
    return agent.end == AgentEnd::killed_at_timeout;
}

std::string where(const AgentHistory& agent) {
    if (agent.current_op == 0) return agent.name;
    return agent.name + " (in '" + op_label(agent, agent.current_op) + "')";
}

class AbandonedLockCheck final : public PropertyCheck {
  public:
    AbandonedLockCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        result_.id = "abandoned-lock";
    }

    // Only sections left unreleased are noted.
    bool skips(const ChunkTraits& traits) const override {
        return !traits.has_flag(event_flag::unreleased);
    }

    void scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) override {
        for (std::size_t k = 0; k < events.size(); ++k) {
            const EventRecord& event = events[k];
            if (has_flag(event, event_flag::unreleased) && event.stamp != 0 &&
                history_.agents[agent].end == AgentEnd::crashed)
                note_abandoned({agent, first + k}, event);
        }
    }

    PropertyResult finish() override {
        if (history_.mutex_kind == MutexKind::none)
            return not_applicable(result_.id, "no lock under test (mutex kind none)");
        if (!abandoned_) return not_applicable(result_.id, "no agent died holding the lock");
        const std::optional<Taken> taken = first_taken_after(abandoned_->stamp);
        if (taken) return came_back(*taken);
        std::vector<std::size_t> waiters;
        for (std::size_t a = 0; a < history_.agents.size(); ++a)
            if (a != abandoned_->ref.agent && ended_waiting(history_.agents[a]))
                waiters.push_back(a);
        if (waiters.empty() && stopped_early()) {
            PropertyResult unknown = not_applicable(
                result_.id, holder_text() + "; the run was stopped before its timeout, so "
                                            "whether the lock would have come back is unknown");
            unknown.verdict = Verdict::unknown;
            return unknown;
        }
        if (waiters.empty())
            return not_applicable(result_.id,
                                  holder_text() + "; nobody asked for the lock afterwards");
        return deadlock(waiters);
    }

  private:
    void note_abandoned(EventRef ref, const EventRecord& event) {
        if (abandoned_ && abandoned_->stamp <= event.stamp) return;
        abandoned_ = Abandoned{ref, event.stamp, event.t_acquired};
    }

    // A pass of its own, taken only when a holder died (rare, and then histories are small):
    // keeping every section during the shared pass would cost memory on every history.
    std::optional<Taken> first_taken_after(std::uint64_t stamp) const {
        std::optional<Taken> first;
        for (std::size_t a = 0; a < history_.agents.size(); ++a) {
            const std::span<const EventRecord> events = history_.agents[a].events;
            for (std::size_t i = 0; i < events.size(); ++i) {
                const EventRecord& event = events[i];
                if (!in_lock_order(event) || event.stamp <= stamp) continue;
                if (!first || event.stamp < first->stamp)
                    first = Taken{{a, i}, event.stamp, has_flag(event, event_flag::recovered)};
            }
        }
        return first;
    }

    bool stopped_early() const {
        return std::any_of(
            history_.agents.begin(), history_.agents.end(),
            [](const AgentHistory& agent) { return agent.end == AgentEnd::killed_by_harness; });
    }

    std::string holder_text() const {
        return describe_op(history_, abandoned_->ref) + " died holding the lock (stamp " +
               std::to_string(abandoned_->stamp) + ")";
    }

    PropertyResult came_back(const Taken& taken) {
        result_.checked = 1;
        const EventRecord& event = event_at(history_, taken.ref);
        const std::uint64_t after = event.t_acquired > abandoned_->t_acquired
                                        ? event.t_acquired - abandoned_->t_acquired
                                        : 0;
        const std::string how = taken.recovered
                                    ? "recovered: the next locker got it with EOWNERDEAD and "
                                      "made it consistent"
                                    : "released: the next locker got it as a free lock";
        set_verdict(result_, how + " (" + describe_op(history_, taken.ref) + ", stamp " +
                                 std::to_string(taken.stamp) + ", " + duration_text(after) +
                                 " after the holder took it); " + holder_text());
        return std::move(result_);
    }

    PropertyResult deadlock(const std::vector<std::size_t>& waiters) {
        result_.checked = 1;
        std::string names;
        for (const std::size_t a : waiters)
            names += (names.empty() ? "" : ", ") + where(history_.agents[a]);
        add_violation(result_, options_, [&] {
            return Evidence{"deadlock: " + holder_text() + ", and nobody acquired it after; " +
                                names + " still waited when the harness ended the run at its " +
                                "timeout and killed them",
                            {evidence_event(history_, abandoned_->ref)}};
        });
        set_verdict(result_, "deadlock: the lock stayed held by a dead agent; " +
                                 count_of(waiters.size(), "waiter", "waiters") +
                                 " killed at the run's timeout (reported, not hung)");
        return std::move(result_);
    }

    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    std::optional<Abandoned> abandoned_;
};

} // namespace

std::unique_ptr<PropertyCheck> abandoned_lock(const History& history, const CheckOptions& options) {
    return std::make_unique<AbandonedLockCheck>(history, options);
}

} // namespace ipch::check
