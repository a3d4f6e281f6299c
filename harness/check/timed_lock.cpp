// timed-lock: a timed_lock that gives up does so at its deadline — not before it, and not long
// after — and one that acquires does so by its deadline. The agent records the timeout it asked
// for (msg_writer_seq of a timed_lock event) beside the times it saw.
//
// Two tolerances, both stated in the results: giving up early is allowed only by clock
// granularity (Boost's named_mutex takes a CLOCK_REALTIME deadline, converted from the agent's
// CLOCK_MONOTONIC one, so the two clocks' rates may differ a little); late, by what a loaded
// machine's scheduler can add before a woken process runs again.
#include "check/detail.hpp"

namespace ipch::check {

namespace {

Evidence off_deadline(const History& history, EventRef ref, std::uint64_t waited,
                      const std::string& what, std::uint64_t tolerance) {
    const EventRecord& event = event_at(history, ref);
    return Evidence{describe_op(history, ref) + " " + what + " after " + duration_text(waited) +
                        ", its timeout being " + duration_text(event.msg_writer_seq) +
                        " (tolerance " + duration_text(tolerance) + ")",
                    {evidence_event(history, ref)}};
}

class TimedLockCheck final : public PropertyCheck {
  public:
    TimedLockCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        result_.id = "timed-lock";
    }

    // Only timed_locks are judged.
    bool skips(const ChunkTraits& traits) const override { return !traits.has(OpKind::timed_lock); }

    void scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) override {
        for (std::size_t k = 0; k < events.size(); ++k) {
            const EventRecord& event = events[k];
            // A timed_lock without its timeout (a log from elsewhere) cannot be judged.
            if (event.kind != OpKind::timed_lock || event.msg_writer_seq == 0) continue;
            judge(event, {agent, first + k});
        }
    }

    PropertyResult finish() override {
        if (result_.checked == 0) return not_applicable(result_.id, "no timed_lock");
        const std::string tolerances =
            " (deadline tolerance: " + duration_text(options_.timed_lock_early_ns) + " early, " +
            duration_text(options_.timed_lock_late_ns) + " late)";
        set_verdict(result_, result_.violations == 0
                                 ? count_of(result_.checked, "timed_lock", "timed_locks") + ", " +
                                       std::to_string(gave_up_) + " gave up, each at its deadline" +
                                       tolerances
                                 : count_of(result_.violations, "timed_lock off its deadline",
                                            "timed_locks off their deadlines") +
                                       " among " +
                                       count_of(result_.checked, "timed_lock", "timed_locks") +
                                       tolerances);
        return std::move(result_);
    }

  private:
    void judge(const EventRecord& event, EventRef ref) {
        const std::uint64_t timeout = event.msg_writer_seq;
        if (event.outcome == Outcome::timeout && event.t_released >= event.t_requested) {
            ++result_.checked;
            ++gave_up_;
            const std::uint64_t waited = event.t_released - event.t_requested;
            if (waited + options_.timed_lock_early_ns < timeout)
                add_violation(result_, options_, [&] {
                    return off_deadline(history_, ref, waited, "gave up early",
                                        options_.timed_lock_early_ns);
                });
            else if (waited > timeout + options_.timed_lock_late_ns)
                add_violation(result_, options_, [&] {
                    return off_deadline(history_, ref, waited, "gave up late",
                                        options_.timed_lock_late_ns);
                });
        } else if (event.outcome == Outcome::ok && event.t_acquired >= event.t_requested) {
            ++result_.checked;
            const std::uint64_t waited = event.t_acquired - event.t_requested;
            if (waited > timeout + options_.timed_lock_late_ns)
                add_violation(result_, options_, [&] {
                    return off_deadline(history_, ref, waited, "acquired past its deadline",
                                        options_.timed_lock_late_ns);
                });
        }
    }

    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    std::uint64_t gave_up_ = 0;
};

} // namespace

std::unique_ptr<PropertyCheck> timed_lock(const History& history, const CheckOptions& options) {
    return std::make_unique<TimedLockCheck>(history, options);
}

} // namespace ipch::check
