// no-torn-read: every read observes a whole message. The agent marks a read torn when the
// header's length exceeds the capacity or its checksum does not match the payload; this check
// turns each such mark into evidence a reader can verify from the numbers.
//
// One torn message is not the lock's doing: a crash in the middle of a write (the header already
// new, half the payload copied) leaves it behind, and a robust lock lets the next holders read it
// until someone writes again. Such a read is indeterminate, not judged.
#include "check/detail.hpp"

#include <algorithm>
#include <vector>

namespace ipch::check {

namespace {

std::string torn_summary(const History& history, EventRef ref) {
    const EventRecord& event = event_at(history, ref);
    const std::string who = describe_op(history, ref);
    if (history.payload_capacity > 0 && event.msg_length > history.payload_capacity)
        return who + " saw a torn message: its header claims " + std::to_string(event.msg_length) +
               " bytes, more than the mapping's capacity of " +
               std::to_string(history.payload_capacity) + " (header checksum " +
               hex(event.msg_checksum) + ")";
    return who + " saw a torn message: " + describe_message(history, event) +
           ", within the capacity of " + std::to_string(history.payload_capacity) +
           " bytes, but its header checksum " + hex(event.msg_checksum) +
           " differs from the payload's " + hex(event.computed_checksum);
}

} // namespace

PropertyResult no_torn_read(const History& history, const CheckOptions& options) {
    PropertyResult result;
    result.id = "no-torn-read";
    const CrashedWrites crashed_writes(history);
    std::uint64_t after_crash = 0;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const auto& events = history.agents[a].events;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (!has_flag(events[i], event_flag::observed)) continue;
            if (has_flag(events[i], event_flag::torn) && crashed_writes.explains({a, i})) {
                ++after_crash;
                continue;
            }
            ++result.checked;
            if (!has_flag(events[i], event_flag::torn)) continue;
            add_violation(result, options, [&] {
                return Evidence{torn_summary(history, {a, i}), {evidence_event(history, {a, i})}};
            });
        }
    }
    const std::string not_judged = after_crash == 0
                                       ? std::string()
                                       : count_of(after_crash, "torn read", "torn reads") +
                                             " of a write a crash cut short, not judged";
    if (result.checked == 0)
        return not_applicable(result.id, after_crash == 0 ? "no reads" : "only " + not_judged);
    std::string detail = result.violations == 0
                             ? count_of(result.checked, "read", "reads") + ", every message whole"
                             : count_of(result.violations, "torn read", "torn reads") + " among " +
                                   count_of(result.checked, "read", "reads");
    if (after_crash > 0) detail += " (" + not_judged + ")";
    set_verdict(result, std::move(detail));
    return result;
}

} // namespace ipch::check
