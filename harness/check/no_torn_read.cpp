// no-torn-read: every read observes a whole message. The agent marks a read torn when the
// header's length exceeds the capacity or its checksum does not match the payload; this check
// turns each such mark into evidence a reader can verify from the numbers.
#include "check/detail.hpp"

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
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const auto& events = history.agents[a].events;
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (!has_flag(events[i], event_flag::observed)) continue;
            ++result.checked;
            if (!has_flag(events[i], event_flag::torn)) continue;
            add_violation(result, options, [&] {
                return Evidence{torn_summary(history, {a, i}), {evidence_event(history, {a, i})}};
            });
        }
    }
    if (result.checked == 0) return not_applicable(result.id, "no reads");
    set_verdict(result, result.violations == 0
                            ? count_of(result.checked, "read", "reads") + ", every message whole"
                            : count_of(result.violations, "torn read", "torn reads") + " among " +
                                  count_of(result.checked, "read", "reads"));
    return result;
}

} // namespace ipch::check
