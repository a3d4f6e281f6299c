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

class NoTornReadCheck final : public PropertyCheck {
  public:
    NoTornReadCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options), crashed_writes_(history) {
        result_.id = "no-torn-read";
    }

    void scan(std::size_t a, std::size_t first, std::span<const EventRecord> events) override {
        constexpr std::uint32_t torn_read = event_flag::observed | event_flag::torn;
        // Whole reads counted in a local: a member would be stored every event (the compiler
        // cannot tell it from the events).
        std::uint64_t whole = 0;
        for (std::size_t k = 0; k < events.size(); ++k) {
            const std::uint32_t flags = events[k].flags;
            // A whole read is counted without a branch: reads and the rest come in any order.
            if ((flags & torn_read) != torn_read) [[likely]] {
                whole += (flags & event_flag::observed) != 0 ? 1 : 0;
                continue;
            }
            const std::size_t i = first + k;
            if (crashed_writes_.explains({a, i})) {
                ++after_crash_;
                continue;
            }
            ++result_.checked;
            add_violation(result_, options_, [&] {
                return Evidence{torn_summary(history_, {a, i}), {evidence_event(history_, {a, i})}};
            });
        }
        result_.checked += whole;
    }

    PropertyResult finish() override {
        const std::string not_judged = after_crash_ == 0
                                           ? std::string()
                                           : count_of(after_crash_, "torn read", "torn reads") +
                                                 " of a write a crash cut short, not judged";
        if (result_.checked == 0)
            return not_applicable(result_.id,
                                  after_crash_ == 0 ? "no reads" : "only " + not_judged);
        std::string detail =
            result_.violations == 0
                ? count_of(result_.checked, "read", "reads") + ", every message whole"
                : count_of(result_.violations, "torn read", "torn reads") + " among " +
                      count_of(result_.checked, "read", "reads");
        if (after_crash_ > 0) detail += " (" + not_judged + ")";
        set_verdict(result_, std::move(detail));
        return std::move(result_);
    }

  private:
    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    CrashedWrites crashed_writes_;
    std::uint64_t after_crash_ = 0;
};

} // namespace

std::unique_ptr<PropertyCheck> no_torn_read(const History& history, const CheckOptions& options) {
    return std::make_unique<NoTornReadCheck>(history, options);
}

} // namespace ipch::check
