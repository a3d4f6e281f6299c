// read-latest: a read returns the latest write before it in lock order. Lock order is the
// stamp order of critical sections; replaying them tracks which message the mapping must hold.
// The ops of one explicit lock..unlock section share its stamp and run in their agent's own
// order, so a read after a write in the same section must see that write, and a read before it
// what was there before.
//
// Without stamps (an external agent may omit them) there is no lock order to replay: the history
// is then judged by the register model instead (check/linearizability_property.cpp).
#include "check/detail.hpp"
#include "check/linearizability_history.hpp"

#include <algorithm>
#include <vector>

namespace ipch::check {

namespace {

// A write or an observation inside the lock, copied out so that sorting stays compact.
struct Step {
    std::uint64_t stamp;
    std::uint64_t acquired; // the same for every op of one explicit section: they go by index
    std::size_t index;
    std::size_t agent;
};

bool by_lock_order(const Step& x, const Step& y) {
    if (x.stamp != y.stamp) return x.stamp < y.stamp;
    if (x.acquired != y.acquired) return x.acquired < y.acquired;
    if (x.agent != y.agent) return x.agent < y.agent;
    return x.index < y.index;
}

bool is_checked_read(const EventRecord& event) {
    return has_flag(event, event_flag::observed) && !has_flag(event, event_flag::torn);
}

// The steps, one run per agent in the agent's own order; `bounds` gets where each run starts,
// then the end.
std::vector<Step> collect_steps(const History& history, std::vector<std::size_t>& bounds) {
    std::vector<Step> steps;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        bounds.push_back(steps.size());
        const auto& events = history.agents[a].events;
        // The explicit section the agent is in: its stamp, and the time that orders all of its
        // ops (the first one's), whatever times each op recorded.
        bool in_section = false;
        std::uint64_t section_stamp = 0;
        std::uint64_t section_acquired = 0;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& event = events[i];
            if (!in_lock_order(event)) continue;
            const bool inside = has_flag(event, event_flag::in_section);
            if (inside && (!in_section || event.stamp != section_stamp)) {
                section_stamp = event.stamp;
                section_acquired = event.t_acquired;
            }
            in_section = inside;
            if (is_committed_write(event) || is_checked_read(event))
                steps.push_back(
                    Step{event.stamp, inside ? section_acquired : event.t_acquired, i, a});
        }
    }
    bounds.push_back(steps.size());
    return steps;
}

// Per agent position: the highest writer_seq among its committed writes. A message of that
// writer with a higher sequence came from no committed write.
std::vector<std::uint64_t> last_committed_writes(const History& history) {
    std::vector<std::uint64_t> last(history.agents.size(), 0);
    for (std::size_t a = 0; a < history.agents.size(); ++a)
        for (const EventRecord& event : history.agents[a].events)
            if (is_committed_write(event)) last[a] = std::max(last[a], event.msg_writer_seq);
    return last;
}

bool same_message(const EventRecord& x, const EventRecord& y) {
    return x.msg_writer == y.msg_writer && x.msg_writer_seq == y.msg_writer_seq &&
           x.msg_checksum == y.msg_checksum;
}

// Where the message the mapping must hold came from.
enum class Source { nothing_yet, write, initial_content, write_in_flight };

struct Latest {
    Source source = Source::nothing_yet;
    EventRef ref; // the write, or the read that first saw the content
};

// An observation no committed write produced, by an agent that died with an op in flight: that
// op was the write, and it is indeterminate, not wrong.
bool written_in_flight(const History& history, const std::vector<std::uint64_t>& last_writes,
                       const EventRecord& read) {
    const auto writer = agent_position(history, read.msg_writer);
    return writer && may_have_op_in_flight(history.agents[*writer]) &&
           read.msg_writer_seq > last_writes[*writer];
}

std::string what_it_should_have_seen(const History& history, const Latest& latest) {
    const EventRecord& event = event_at(history, latest.ref);
    const std::string stamp = " (stamp " + std::to_string(event.stamp) + ")";
    switch (latest.source) {
    case Source::write:
        return "the latest write before it in lock order was " + describe_op(history, latest.ref) +
               stamp + ", which wrote " + describe_message(history, event);
    case Source::initial_content:
        return "the mapping held " + describe_message(history, event) +
               " with no write since, as " + describe_op(history, latest.ref) + stamp + " saw";
    case Source::write_in_flight:
        return "the latest message in lock order was " + describe_message(history, event) +
               ", written by an op in flight when its writer died, as " +
               describe_op(history, latest.ref) + stamp + " saw";
    case Source::nothing_yet:
        break;
    }
    return "nothing was known of the mapping";
}

Evidence stale_read(const History& history, EventRef read, const Latest& latest) {
    const EventRecord& event = event_at(history, read);
    Evidence evidence{describe_op(history, read) + " (stamp " + std::to_string(event.stamp) +
                          ") returned " + describe_message(history, event) + ", but " +
                          what_it_should_have_seen(history, latest),
                      {evidence_event(history, read)}};
    evidence.events.push_back(evidence_event(history, latest.ref));
    return evidence;
}

} // namespace

PropertyResult read_latest(const History& history, const CheckOptions& options) {
    if (has_unstamped_sections(history)) return black_box_read_latest(history, options);
    PropertyResult result;
    result.id = "read-latest";
    std::vector<std::size_t> bounds;
    std::vector<Step> steps = collect_steps(history, bounds);
    sort_runs(steps, std::move(bounds), by_lock_order);
    const std::vector<std::uint64_t> last_writes = last_committed_writes(history);

    Latest latest;
    std::uint64_t writes = 0;
    for (const Step& step : steps) {
        const EventRef ref{step.agent, step.index};
        const EventRecord& event = event_at(history, ref);
        if (is_committed_write(event)) {
            latest = Latest{Source::write, ref};
            ++writes;
            continue;
        }
        ++result.checked;
        if (latest.source == Source::nothing_yet) {
            // Before any write the mapping may hold what an earlier run left (reuse: true).
            latest = Latest{Source::initial_content, ref};
            continue;
        }
        if (same_message(event, event_at(history, latest.ref))) continue;
        if (written_in_flight(history, last_writes, event)) {
            latest = Latest{Source::write_in_flight, ref};
            continue;
        }
        add_violation(result, options, [&] { return stale_read(history, ref, latest); });
    }

    if (result.checked == 0) return not_applicable(result.id, "no reads inside the lock");
    const std::string among = count_of(result.checked, "read", "reads") + " and " +
                              count_of(writes, "write", "writes") + " in lock order";
    set_verdict(result,
                result.violations == 0
                    ? among + ", every read saw the latest write"
                    : count_of(result.violations, "stale read", "stale reads") + " among " + among);
    return result;
}

} // namespace ipch::check
