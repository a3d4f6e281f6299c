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

} // namespace

PropertyResult writer_order(const History& history, const CheckOptions& options) {
    PropertyResult result;
    result.id = "writer-order";
    std::vector<LastSeen> run(history.agents.size());
    std::vector<LastSeen> outside;
    for (std::size_t reader = 0; reader < history.agents.size(); ++reader) {
        std::fill(run.begin(), run.end(), LastSeen{});
        outside.clear();
        const auto& events = history.agents[reader].events;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& event = events[i];
            if (!has_flag(event, event_flag::observed) || has_flag(event, event_flag::torn) ||
                event.msg_writer == 0)
                continue;
            ++result.checked;
            LastSeen& seen = slot_for(history, event.msg_writer, run, outside);
            if (seen.writer != 0 && event.msg_writer_seq < seen.writer_seq)
                add_violation(result, options, [&] { return backwards(history, reader, seen, i); });
            seen = LastSeen{event.msg_writer, event.msg_writer_seq, i};
        }
    }
    if (result.checked == 0) return not_applicable(result.id, "no reads of any writer's message");
    set_verdict(result, result.violations == 0
                            ? count_of(result.checked, "read", "reads") +
                                  ", no writer's sequence went backwards"
                            : count_of(result.violations, "backward step", "backward steps") +
                                  " among " + count_of(result.checked, "read", "reads"));
    return result;
}

} // namespace ipch::check
