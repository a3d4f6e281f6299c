// writer-order: a reader never sees one writer's sequence go backwards. Each reader is checked
// on its own, in its own event order, against the previous message it saw from each writer.
#include "check/detail.hpp"

#include <algorithm>
#include <vector>

namespace ipch::check {

namespace {

// What one reader last saw of one writer.
struct LastSeen {
    std::uint32_t writer = 0; // 0: nothing yet
    std::uint64_t writer_seq = 0;
    std::size_t index = 0;
};

// The slot for a writer: agents of the run by position; writers from outside the run (a
// message left in a reused mapping) in a short list searched linearly, as they are rare.
LastSeen& slot_for(const History& history, std::uint32_t writer, std::vector<LastSeen>& run,
                   std::vector<LastSeen>& outside) {
    if (const auto position = agent_position(history, writer)) return run[*position];
    for (LastSeen& seen : outside)
        if (seen.writer == writer) return seen;
    outside.push_back(LastSeen{});
    return outside.back();
}

Evidence backwards(const History& history, std::size_t reader, const LastSeen& before,
                   std::size_t index) {
    const EventRef earlier{reader, before.index};
    const EventRef later{reader, index};
    const EventRecord& event = event_at(history, later);
    return Evidence{describe_op(history, later) + " saw " + describe_message(history, event) +
                        " after " + describe_op(history, earlier) + " had seen " +
                        describe_message(history, event_at(history, earlier)) + ": " +
                        agent_name(history, event.msg_writer) + "'s sequence went backwards",
                    {evidence_event(history, earlier), evidence_event(history, later)}};
}

// Each reader on its own: what it last saw of each writer, forgotten when the next reader
// begins.
class WriterOrderCheck final : public PropertyCheck {
  public:
    WriterOrderCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options), run_(history.agents.size()) {
        result_.id = "writer-order";
        ids_are_positions_ = true;
        for (std::size_t a = 0; a < history.agents.size(); ++a)
            ids_are_positions_ = ids_are_positions_ && history.agents[a].agent_id == a + 1;
    }

    void scan(std::size_t reader, std::size_t first, std::span<const EventRecord> events) override {
        if (first == 0) {
            std::fill(run_.begin(), run_.end(), LastSeen{});
            outside_.clear();
        }
        // Locals, not members, in the loop: members would be reloaded and stored every event
        // (the compiler cannot tell them from the events).
        std::uint64_t checked = 0;
        LastSeen* const run = run_.data();
        const std::size_t positions = ids_are_positions_ ? run_.size() : 0;
        for (std::size_t k = 0; k < events.size(); ++k) {
            const EventRecord& event = events[k];
            if (!is_checked_read(event) | (event.msg_writer == 0)) continue;
            ++checked;
            const std::size_t i = first + k;
            // A writer of the run, by its position (agent id - 1) when every agent's id is its
            // position + 1 (a run's are): no search for each read. `positions` is 0 when they
            // are not, so that one comparison sends every writer to slot_for.
            const std::size_t position = event.msg_writer - 1u;
            LastSeen& seen = position < positions
                                 ? run[position]
                                 : slot_for(history_, event.msg_writer, run_, outside_);
            if (seen.writer != 0 && event.msg_writer_seq < seen.writer_seq) [[unlikely]]
                add_violation(result_, options_,
                              [&] { return backwards(history_, reader, seen, i); });
            seen = LastSeen{event.msg_writer, event.msg_writer_seq, i};
        }
        result_.checked += checked;
    }

    PropertyResult finish() override {
        if (result_.checked == 0)
            return not_applicable(result_.id, "no reads of any writer's message");
        set_verdict(result_, result_.violations == 0
                                 ? count_of(result_.checked, "read", "reads") +
                                       ", no writer's sequence went backwards"
                                 : count_of(result_.violations, "backward step", "backward steps") +
                                       " among " + count_of(result_.checked, "read", "reads"));
        return std::move(result_);
    }

  private:
    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    std::vector<LastSeen> run_;
    std::vector<LastSeen> outside_;
    bool ids_are_positions_ = false; // History::agents[a].agent_id == a + 1 for every a
};

} // namespace

std::unique_ptr<PropertyCheck> writer_order(const History& history, const CheckOptions& options) {
    return std::make_unique<WriterOrderCheck>(history, options);
}

} // namespace ipch::check
