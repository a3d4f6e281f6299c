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

} // namespace

PropertyResult timed_lock(const History& history, const CheckOptions& options) {
    PropertyResult result;
    result.id = "timed-lock";
    std::uint64_t gave_up = 0;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const auto& events = history.agents[a].events;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& event = events[i];
            // A timed_lock without its timeout (a log from elsewhere) cannot be judged.
            if (event.kind != OpKind::timed_lock || event.msg_writer_seq == 0) continue;
            const std::uint64_t timeout = event.msg_writer_seq;
            const EventRef ref{a, i};
            if (event.outcome == Outcome::timeout && event.t_released >= event.t_requested) {
                ++result.checked;
                ++gave_up;
                const std::uint64_t waited = event.t_released - event.t_requested;
                if (waited + options.timed_lock_early_ns < timeout)
                    add_violation(result, options, [&] {
                        return off_deadline(history, ref, waited, "gave up early",
                                            options.timed_lock_early_ns);
                    });
                else if (waited > timeout + options.timed_lock_late_ns)
                    add_violation(result, options, [&] {
                        return off_deadline(history, ref, waited, "gave up late",
                                            options.timed_lock_late_ns);
                    });
            } else if (event.outcome == Outcome::ok && event.t_acquired >= event.t_requested) {
                ++result.checked;
                const std::uint64_t waited = event.t_acquired - event.t_requested;
                if (waited > timeout + options.timed_lock_late_ns)
                    add_violation(result, options, [&] {
                        return off_deadline(history, ref, waited, "acquired past its deadline",
                                            options.timed_lock_late_ns);
                    });
            }
        }
    }
    if (result.checked == 0) return not_applicable(result.id, "no timed_lock");
    const std::string tolerances =
        " (deadline tolerance: " + duration_text(options.timed_lock_early_ns) + " early, " +
        duration_text(options.timed_lock_late_ns) + " late)";
    set_verdict(result,
                result.violations == 0
                    ? count_of(result.checked, "timed_lock", "timed_locks") + ", " +
                          std::to_string(gave_up) + " gave up, each at its deadline" + tolerances
                    : count_of(result.violations, "timed_lock off its deadline",
                               "timed_locks off their deadlines") +
                          " among " + count_of(result.checked, "timed_lock", "timed_locks") +
                          tolerances);
    return result;
}

} // namespace ipch::check
