// delivery: every awaited message arrives before its deadline. A wait_for instance is the run of
// its attempts (one event per poll, same seq); its last attempt says how it ended. A read with
// an expected text must have seen that text.
#include "check/detail.hpp"

namespace ipch::check {

namespace {

// One wait_for instance as its attempts go by; no allocation, just positions.
struct Wait {
    bool open = false;
    std::uint64_t seq = 0;
    std::size_t first = 0;
    std::size_t last = 0;
    std::size_t last_observed = 0;
    bool observed = false;
    std::uint32_t attempts = 0;
};

class DeliveryCheck final : public PropertyCheck {
  public:
    DeliveryCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        result_.id = "delivery";
    }

    // Nothing to do in a chunk without wait_fors or reads that expect a text, unless a wait is
    // open (it ends there): a wait never stays open from one agent to the next.
    bool skips(const ChunkTraits& traits) const override {
        return !wait_.open && !traits.has(OpKind::wait_for) &&
               !(traits.has(OpKind::read) && traits.has_flag(event_flag::expect));
    }

    // The wait in progress carries over from one chunk to the next.
    void scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) override {
        agent_ = agent;
        if (first == 0) wait_ = Wait{};
        Wait& wait = wait_;
        for (std::size_t k = 0; k < events.size(); ++k) {
            const EventRecord& event = events[k];
            const std::size_t i = first + k;
            if (wait.open && (event.kind != OpKind::wait_for || event.seq != wait.seq))
                close_unfinished(wait, false);
            // Never ran: its section's try_lock or timed_lock did not get the lock. Whether that
            // was right is the lock's matter, not the message's.
            if (event.outcome == Outcome::skipped) continue;
            if (event.kind == OpKind::wait_for) {
                add_attempt(wait, i);
                if (event.outcome != Outcome::pending) close_finished(wait);
            } else if (event.kind == OpKind::read && has_flag(event, event_flag::expect)) {
                check_expecting_read(i);
            }
        }
        if (first + events.size() == history_.agents[agent].events.size() && wait.open)
            close_unfinished(wait, true);
    }

    PropertyResult finish() override;

  private:
    void add_attempt(Wait& wait, std::size_t i) {
        const EventRecord& event = history_.agents[agent_].events[i];
        if (!wait.open) wait = Wait{true, event.seq, i, i, 0, false, 0};
        wait.last = i;
        ++wait.attempts;
        if (has_flag(event, event_flag::observed)) {
            wait.last_observed = i;
            wait.observed = true;
        }
    }

    void close_finished(Wait& wait) {
        wait.open = false;
        ++result_.checked;
        const EventRecord& last = history_.agents[agent_].events[wait.last];
        if (last.outcome == Outcome::ok) return;
        add_violation(result_, options_, [&] {
            const EventRef ref{agent_, wait.last};
            Evidence evidence{describe_op(history_, ref) + " " + how_it_ended(wait),
                              {evidence_event(history_, ref)}};
            if (wait.observed && wait.last_observed != wait.last)
                evidence.events.push_back(evidence_event(history_, {agent_, wait.last_observed}));
            return evidence;
        });
    }

    // An instance without a final attempt. At the end of the log of an agent that died, or whose
    // log lost its tail, it was in flight: indeterminate. Anywhere else the agent broke protocol.
    void close_unfinished(Wait& wait, bool at_end) {
        wait.open = false;
        const AgentHistory& agent = history_.agents[agent_];
        if (at_end && (may_have_op_in_flight(agent) || !agent.log_damage.empty())) {
            ++indeterminate_;
            return;
        }
        ++result_.checked;
        add_violation(result_, options_, [&] {
            const EventRef ref{agent_, wait.last};
            return Evidence{describe_op(history_, ref) + " never finished: its last attempt (" +
                                std::to_string(wait.attempts) + " in all) was still pending" +
                                (at_end ? " when the agent stopped" : " when another op began"),
                            {evidence_event(history_, ref)}};
        });
    }

    std::string how_it_ended(const Wait& wait) const {
        const auto& events = history_.agents[agent_].events;
        const EventRecord& last = events[wait.last];
        if (last.outcome == Outcome::error)
            return "failed after " + count_of(wait.attempts, "attempt", "attempts") + ": " +
                   error_text(last.error);
        std::string text = last.outcome == Outcome::timeout
                               ? "timed out"
                               : "ended " + std::string(to_string(last.outcome));
        const std::uint64_t start = events[wait.first].t_requested;
        if (last.t_released > start) text += " after " + duration_text(last.t_released - start);
        text += " and " + count_of(wait.attempts, "attempt", "attempts");
        if (!wait.observed) return text + ", having observed nothing";
        return text + "; the last message it saw was " +
               describe_message(history_, events[wait.last_observed]);
    }

    void check_expecting_read(std::size_t i) {
        const EventRecord& event = history_.agents[agent_].events[i];
        // Torn by a crash mid-write, not by the lock: no-torn-read leaves it unjudged, so must
        // this check.
        if (has_flag(event, event_flag::torn) && crashed_writes_.explains({agent_, i})) {
            ++crashed_reads_;
            return;
        }
        ++result_.checked;
        if (event.outcome == Outcome::ok) return;
        add_violation(result_, options_, [&] {
            const EventRef ref{agent_, i};
            std::string what =
                event.outcome == Outcome::error
                    ? "failed: " + error_text(event.error)
                    : "saw " + describe_message(history_, event) + ", not the text it expected";
            return Evidence{describe_op(history_, ref) + " " + what,
                            {evidence_event(history_, ref)}};
        });
    }

    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    std::size_t agent_ = 0;
    Wait wait_;
    std::uint64_t indeterminate_ = 0;
    CrashedWrites crashed_writes_{history_};
    std::uint64_t crashed_reads_ = 0;
};

PropertyResult DeliveryCheck::finish() {
    if (result_.checked == 0)
        return not_applicable(result_.id,
                              indeterminate_ + crashed_reads_ == 0
                                  ? "no wait_for and no read with an expected text"
                                  : "every awaited message was in flight or left half-written "
                                    "by a crash");

    std::string detail =
        result_.violations == 0
            ? count_of(result_.checked, "awaited message", "awaited messages") + ", all delivered"
            : count_of(result_.violations, "undelivered message", "undelivered messages") +
                  " among " + count_of(result_.checked, "awaited", "awaited");
    if (indeterminate_ > 0)
        detail += " (" + count_of(indeterminate_, "wait", "waits") +
                  " in flight when an agent stopped, not judged)";
    if (crashed_reads_ > 0)
        detail += " (" + count_of(crashed_reads_, "read", "reads") +
                  " of a message a crash left half-written, not judged)";
    set_verdict(result_, std::move(detail));
    return std::move(result_);
}

} // namespace

std::unique_ptr<PropertyCheck> delivery(const History& history, const CheckOptions& options) {
    return std::make_unique<DeliveryCheck>(history, options);
}

} // namespace ipch::check
