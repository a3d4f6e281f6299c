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

// What tells a torn read left by a crash mid-write from one a broken lock caused: the sections
// crashes left unreleased, each agent's last committed write, and the stamps of every committed
// write, to see whether anything was written between the crash and the read.
class CrashedWrites {
  public:
    explicit CrashedWrites(const History& history)
        : history_(history), last_write_(history.agents.size(), 0),
          crash_stamp_(history.agents.size(), 0) {
        for (std::size_t a = 0; a < history.agents.size(); ++a)
            for (const EventRecord& event : history.agents[a].events) {
                if (has_flag(event, event_flag::unreleased) && in_lock_order(event))
                    crash_stamp_[a] = event.stamp;
                if (!is_committed_write(event)) continue;
                last_write_[a] = std::max(last_write_[a], event.msg_writer_seq);
                write_stamps_.push_back(event.stamp);
            }
        std::sort(write_stamps_.begin(), write_stamps_.end());
    }

    // The read's message is the one its writer was writing when it crashed inside the lock
    // (before the read, in lock order; no committed write produced that message), and nothing
    // was written between that crash and the read.
    bool explains(EventRef read) const {
        const EventRecord& event = event_at(history_, read);
        const auto writer = agent_position(history_, event.msg_writer);
        if (!writer || !in_lock_order(event)) return false;
        const std::uint64_t crash = crash_stamp_[*writer];
        if (crash == 0 || crash >= event.stamp) return false;
        if (event.msg_writer_seq <= last_write_[*writer]) return false;
        const auto after_crash =
            std::upper_bound(write_stamps_.begin(), write_stamps_.end(), crash);
        if (after_crash != write_stamps_.end() && *after_crash < event.stamp) return false;
        return !written_earlier_in_section(read);
    }

  private:
    // A write before the read in the reader's own explicit section (same stamp, same agent).
    bool written_earlier_in_section(EventRef read) const {
        const auto& events = history_.agents[read.agent].events;
        const std::uint64_t stamp = events[read.index].stamp;
        for (std::size_t i = read.index; i-- > 0;) {
            if (!has_flag(events[i], event_flag::in_section) || events[i].stamp != stamp) break;
            if (is_committed_write(events[i])) return true;
        }
        return false;
    }

    const History& history_;
    std::vector<std::uint64_t> last_write_;  // per agent position: highest writer_seq
    std::vector<std::uint64_t> crash_stamp_; // per agent position: its unreleased stamp, or 0
    std::vector<std::uint64_t> write_stamps_;
};

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
