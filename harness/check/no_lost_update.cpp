// no-lost-update: every increment made under the lock is in the final counter. Each increment
// records the counter value it read and wrote that + 1, so under a correct lock the increments
// read one value each, base, base + 1, ... in lock order. Two that read the same value both
// wrote the same value: one update was lost. A value no increment read was written by an
// increment no committed event accounts for: an op in flight when its agent died explains one,
// beyond that it is a violation. Judged on values and stamps alone; times are evidence.
//
// An increment recorded inside a section a crash left unreleased may or may not have written
// its value: it is indeterminate, not judged, and its dead agent's allowance covers the value it
// may have taken.
#include "check/detail.hpp"

#include <algorithm>
#include <vector>

namespace ipch::check {

namespace {

// One increment copied out of its event, so that sorting moves a compact array.
struct Increment {
    std::uint64_t value; // what it read
    std::uint64_t stamp;
    std::size_t index;   // the event's position in its agent's list
    std::uint32_t agent; // the agent's position in History::agents
};

EventRef ref_of(const Increment& increment) {
    return {increment.agent, increment.index};
}

bool judged(const EventRecord& event) {
    return event.kind == OpKind::increment && event.outcome == Outcome::ok &&
           !has_flag(event, event_flag::unreleased);
}

// The increments, one run per agent in the agent's own order (which, under a correct lock, is
// already value order); `bounds` gets where each run starts, then the end. `indeterminate`
// counts the unreleased ones left out.
std::vector<Increment> collect_increments(const History& history, std::vector<std::size_t>& bounds,
                                          std::uint64_t& indeterminate) {
    std::vector<Increment> increments;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        bounds.push_back(increments.size());
        const auto& events = history.agents[a].events;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& event = events[i];
            if (event.kind == OpKind::increment && event.outcome == Outcome::ok && !judged(event))
                ++indeterminate;
            if (!judged(event)) continue;
            increments.push_back(
                Increment{event.msg_writer_seq, event.stamp, i, static_cast<std::uint32_t>(a)});
        }
    }
    bounds.push_back(increments.size());
    return increments;
}

bool by_value(const Increment& x, const Increment& y) {
    if (x.value != y.value) return x.value < y.value;
    if (x.stamp != y.stamp) return x.stamp < y.stamp;
    if (x.agent != y.agent) return x.agent < y.agent;
    return x.index < y.index;
}

// "alice's 'increment' (stamp 3, acquired at 300 ns)"
std::string named(const History& history, const Increment& increment) {
    const EventRecord& event = event_at(history, ref_of(increment));
    return describe_op(history, ref_of(increment)) + " (stamp " + std::to_string(increment.stamp) +
           ", acquired at " + std::to_string(event.t_acquired) + " ns)";
}

Evidence two_increments(const History& history, const Increment& first, const Increment& second,
                        std::string summary) {
    return Evidence{
        std::move(summary),
        {evidence_event(history, ref_of(first)), evidence_event(history, ref_of(second))}};
}

struct Counts {
    std::uint64_t repeated = 0;      // increments that read a value another had read
    std::uint64_t gaps = 0;          // runs of values no increment read, unexplained
    std::uint64_t explained = 0;     // values missing, but explained by ops in flight
    std::uint64_t indeterminate = 0; // increments inside sections left unreleased
    std::uint64_t explainable = 0;   // ops that may have run unrecorded (unrecorded_ops_bound)
};

// Increments sorted by value: each that read the same value as the first of its run wrote the
// same value as it, so one of the two updates was lost.
void find_repeats(const History& history, const std::vector<Increment>& increments,
                  const CheckOptions& options, PropertyResult& result, Counts& counts) {
    std::size_t first = 0; // the first increment of the current run of equal values
    for (std::size_t i = 1; i < increments.size(); ++i) {
        if (increments[i].value != increments[first].value) {
            first = i;
            continue;
        }
        ++counts.repeated;
        add_violation(result, options, [&] {
            const std::uint64_t value = increments[i].value;
            return two_increments(history, increments[first], increments[i],
                                  named(history, increments[first]) + " and " +
                                      named(history, increments[i]) + " both read the counter at " +
                                      std::to_string(value) + " and both wrote " +
                                      std::to_string(value + 1) + ": one update was lost");
        });
    }
}

std::uint64_t missing_values(const std::vector<Increment>& increments) {
    std::uint64_t missing = 0;
    for (std::size_t i = 1; i < increments.size(); ++i)
        if (increments[i].value > increments[i - 1].value + 1)
            missing += increments[i].value - increments[i - 1].value - 1;
    return missing;
}

std::string value_range(std::uint64_t low, std::uint64_t high) {
    return low == high ? std::to_string(low)
                       : "any of " + std::to_string(low) + ".." + std::to_string(high);
}

// Increments sorted by value: a value between two read ones that nobody read is an increment
// with no committed event. Each agent that died with an op in flight may have made one.
void find_gaps(const History& history, const std::vector<Increment>& increments,
               const CheckOptions& options, PropertyResult& result, Counts& counts) {
    const std::uint64_t missing = missing_values(increments);
    if (missing <= counts.explainable) {
        counts.explained = missing;
        return;
    }
    for (std::size_t i = 1; i < increments.size(); ++i) {
        const Increment& below = increments[i - 1];
        const Increment& above = increments[i];
        if (above.value <= below.value + 1) continue;
        ++counts.gaps;
        add_violation(result, options, [&] {
            return two_increments(
                history, below, above,
                "no increment read " + value_range(below.value + 1, above.value - 1) + ": " +
                    named(history, below) + " read " + std::to_string(below.value) + " and " +
                    named(history, above) + " read " + std::to_string(above.value) + "; " +
                    count_of(missing, "value is", "values are") +
                    " missing in all, ops in flight of agents that died explain at most " +
                    std::to_string(counts.explainable));
        });
    }
}

std::string notes(const Counts& counts) {
    std::string text;
    if (counts.explained > 0)
        text += " (" + count_of(counts.explained, "missing value", "missing values") +
                " explained by ops in flight when agents died, or by records lost from damaged "
                "event logs)";
    if (counts.indeterminate > 0)
        text += " (" + count_of(counts.indeterminate, "increment", "increments") +
                " inside a section a crash left unreleased, not judged)";
    return text;
}

std::string failure_detail(const Counts& counts, std::size_t increments) {
    std::string detail;
    const auto part = [&](std::uint64_t count, const char* singular, const char* plural) {
        if (count == 0) return;
        if (!detail.empty()) detail += ", ";
        detail += count_of(count, singular, plural);
    };
    part(counts.repeated, "lost update", "lost updates");
    part(counts.gaps, "gap in the counter", "gaps in the counter");
    return detail + " among " + count_of(increments, "increment", "increments") + notes(counts);
}

} // namespace

PropertyResult no_lost_update(const History& history, const CheckOptions& options) {
    const std::string id = "no-lost-update";
    Counts counts;
    std::vector<std::size_t> bounds;
    std::vector<Increment> increments = collect_increments(history, bounds, counts.indeterminate);
    if (increments.empty())
        return not_applicable(id, counts.indeterminate == 0
                                      ? "no increments"
                                      : "every increment was inside a section a crash left "
                                        "unreleased");

    PropertyResult result;
    result.id = id;
    result.checked = increments.size();
    counts.explainable = unrecorded_ops_bound(history);

    sort_runs(increments, std::move(bounds), by_value);
    find_repeats(history, increments, options, result, counts);
    find_gaps(history, increments, options, result, counts);

    if (result.violations > 0) {
        set_verdict(result, failure_detail(counts, increments.size()));
        return result;
    }
    const std::uint64_t low = increments.front().value;
    const std::uint64_t high = increments.back().value;
    set_verdict(result,
                count_of(increments.size(), "increment", "increments") +
                    (low == high ? " read the counter at " + std::to_string(low)
                                 : " read the counter from " + std::to_string(low) + " to " +
                                       std::to_string(high) + ", each value once") +
                    notes(counts));
    return result;
}

} // namespace ipch::check
