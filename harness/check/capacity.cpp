// capacity: a write larger than the mapping's payload is refused (`too large`) and touches
// nothing: no oversized write succeeds, no read finds a message longer than the payload, the
// mapping's tail guard (its last 8 bytes) and its header's reserved word still read zero after
// the run, and the mapping is still the size it was planned. Applicable when the run tried to go
// past the payload: a write refused `too large`, or any write or read of more bytes than fit.
#include "check/detail.hpp"
#include "check/objects.hpp"

namespace ipch::check {

namespace {

class CapacityCheck final : public PropertyCheck {
  public:
    CapacityCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        result_.id = "capacity";
    }

    // Only failed ops and messages longer than the payload are judged, as scan tests.
    bool skips(const ChunkTraits& traits) const override {
        return !traits.errors && (capacity() == 0 || traits.longest <= capacity());
    }

    void scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) override {
        // Only a failed op or a message longer than the payload can be judged: one test for the
        // millions of events that are neither, before the closer look.
        const std::uint64_t longest = capacity() == 0 ? UINT64_MAX : capacity();
        for (std::size_t k = 0; k < events.size(); ++k) {
            const EventRecord& event = events[k];
            if ((event.outcome == Outcome::error) | (event.msg_length > longest))
                judge(event, {agent, first + k});
        }
    }

    PropertyResult finish() override {
        if (result_.checked == 0)
            return not_applicable(result_.id, "no write or read beyond the payload's " +
                                                  std::to_string(capacity()) + " bytes");
        judge_mapping();
        set_verdict(result_, count_of(refused_, "oversized write", "oversized writes") +
                                 " refused (too large) of a payload of " +
                                 std::to_string(capacity()) + " bytes; " + mapping_summary());
        return std::move(result_);
    }

  private:
    std::uint64_t capacity() const { return history_.payload_capacity; }

    bool oversized(const EventRecord& event) const {
        return capacity() != 0 && event.msg_length > capacity();
    }

    void judge(const EventRecord& event, EventRef ref) {
        const bool refused = event.kind == OpKind::write && event.outcome == Outcome::error &&
                             event.error == event_error::too_large;
        if (refused) {
            count(ref);
            ++refused_;
        } else if (is_committed_write(event) && oversized(event)) {
            count(ref);
            violation(ref, "wrote " + std::to_string(event.msg_length) +
                               " bytes into a payload of " + std::to_string(capacity()));
        } else if (has_flag(event, event_flag::observed) && oversized(event)) {
            count(ref);
            violation(ref, "found " + describe_message(history_, event) + " in a payload of " +
                               std::to_string(capacity()) + " bytes");
        }
    }

    void count(EventRef ref) {
        if (result_.checked++ == 0) first_ = ref;
    }

    void violation(EventRef ref, const std::string& what) {
        add_violation(result_, options_, [&] {
            return Evidence{describe_op(history_, ref) + " " + what,
                            {evidence_event(history_, ref)}};
        });
    }

    // The mapping after the run, evidenced by the first oversized attempt.
    void judge_mapping() {
        const ObjectObservation* mapping = observed_mapping(history_);
        if (mapping == nullptr) return;
        if (mapping->guard_intact == false)
            object_violation(describe_object(*mapping) +
                             " was written outside its payload: " + mapping->detail);
        if (mapping->created_by_run && mapping->size && mapping->requested_size != 0 &&
            *mapping->size != mapping->requested_size)
            object_violation(describe_object(*mapping) + " is " + std::to_string(*mapping->size) +
                             " bytes after the run; it was planned " +
                             std::to_string(mapping->requested_size));
    }

    void object_violation(const std::string& what) {
        add_violation(result_, options_, [&] {
            return Evidence{what + " (after " + describe_op(history_, first_) + ")",
                            {evidence_event(history_, first_)}};
        });
    }

    std::string mapping_summary() const {
        const ObjectObservation* mapping = observed_mapping(history_);
        if (mapping == nullptr) return "the mapping was not observed after the run";
        if (!mapping->exists_after) return "the mapping was gone after the run";
        std::string text = !mapping->guard_intact.has_value() ? "the guard was not read"
                           : *mapping->guard_intact           ? "the guard intact"
                                                              : "the guard written";
        if (mapping->size) text += ", the mapping " + std::to_string(*mapping->size) + " bytes";
        return text;
    }

    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    std::uint64_t refused_ = 0;
    EventRef first_{};
};

} // namespace

std::unique_ptr<PropertyCheck> capacity(const History& history, const CheckOptions& options) {
    return std::make_unique<CapacityCheck>(history, options);
}

} // namespace ipch::check
