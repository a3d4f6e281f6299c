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
#include "check/compact.hpp"
#include "check/detail.hpp"
#include "check/lock_order_runs.hpp"

#include <algorithm>
#include <span>
#include <vector>

namespace ipch::check {

namespace {

// One increment copied out of its event, so that ordering moves a compact array.
struct Increment {
    std::uint64_t value; // what it read
    std::uint64_t stamp;
    PackedRef ref;
};

EventRef ref_of(const Increment& increment) {
    return unpack(increment.ref);
}

bool by_value(const Increment& x, const Increment& y) {
    if (x.value != y.value) return x.value < y.value;
    if (x.stamp != y.stamp) return x.stamp < y.stamp;
    if (x.ref.agent != y.ref.agent) return x.ref.agent < y.ref.agent;
    return x.ref.index < y.ref.index;
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
void find_repeats(const History& history, std::span<const Increment> increments,
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

std::uint64_t missing_values(std::span<const Increment> increments) {
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
void find_gaps(const History& history, std::span<const Increment> increments,
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

// "3 increments read the counter from 0 to 2, each value once", and the notes.
std::string passed_detail(std::uint64_t increments, std::uint64_t low, std::uint64_t high,
                          const Counts& counts) {
    return count_of(increments, "increment", "increments") +
           (low == high ? " read the counter at " + std::to_string(low)
                        : " read the counter from " + std::to_string(low) + " to " +
                              std::to_string(high) + ", each value once") +
           notes(counts);
}

// The increments in value order. Under a correct lock each read a value of its own, one after
// another: each goes straight to its value's slot, so collecting them sorts them.
KeySlots<Increment> collect_increments(const History& history) {
    // Other agents' increments that read less than the first one collected.
    constexpr std::size_t lead = 1 << 16;
    KeySlots<Increment> increments(event_count(history), lead);
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const auto& events = history.agents[a].events;
        for (std::size_t i = 0; i < events.size(); ++i)
            if (judged_increment(events[i]))
                increments.add(events[i].msg_writer_seq,
                               Increment{events[i].msg_writer_seq, events[i].stamp, pack(a, i)});
    }
    return increments;
}

PropertyResult judge_sorted(const History& history, std::span<const Increment> increments,
                            const CheckOptions& options, Counts& counts) {
    PropertyResult result;
    result.id = "no-lost-update";
    result.checked = increments.size();
    find_repeats(history, increments, options, result, counts);
    find_gaps(history, increments, options, result, counts);
    if (result.violations > 0) {
        set_verdict(result, failure_detail(counts, increments.size()));
        return result;
    }
    set_verdict(result, passed_detail(increments.size(), increments.front().value,
                                      increments.back().value, counts));
    return result;
}

// Under a correct lock, lock order is value order: each increment read what the one before wrote.
// So the replay in lock order (LockOrder) settles a history whose increments come with values
// going up, missing no more than ops in flight explain: a pass. Anything else, and finish sorts
// copies of the increments by value and looks closer, evidence and all.
class NoLostUpdateCheck final : public PropertyCheck {
  public:
    NoLostUpdateCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        counts_.explainable = unrecorded_ops_bound(history);
    }

    // Only increments are counted.
    bool skips(const ChunkTraits& traits) const override { return !traits.has(OpKind::increment); }

    void scan(std::size_t, std::size_t, std::span<const EventRecord> events) override {
        for (const EventRecord& event : events) {
            if (event.kind != OpKind::increment || event.outcome != Outcome::ok) continue;
            // Inside a section a crash left unreleased: indeterminate.
            if (judged_increment(event))
                ++judged_;
            else
                ++counts_.indeterminate;
        }
    }

    bool wants_lock_order() const override { return true; }

    void join(LockOrderRuns& runs) override { runs.increments = &run_; }

    void replayed() override { replayed_ = true; }

    PropertyResult finish() override {
        if (judged_ == 0)
            return not_applicable("no-lost-update",
                                  counts_.indeterminate == 0
                                      ? "no increments"
                                      : "every increment was inside a section a crash left "
                                        "unreleased");
        // Every increment came by in the replay (one outside the lock would not).
        if (replayed_ && !run_.spoiled && run_.count == judged_ &&
            run_.missing() <= counts_.explainable) {
            counts_.explained = run_.missing();
            PropertyResult result;
            result.id = "no-lost-update";
            result.checked = judged_;
            set_verdict(result, passed_detail(judged_, run_.first_value, run_.last_value, counts_));
            return result;
        }
        KeySlots<Increment> increments = collect_increments(history_);
        return judge_sorted(history_, increments.sorted([](const Increment& x, const Increment& y) {
            return by_value(x, y);
        }),
                            options_, counts_);
    }

  private:
    const History& history_;
    const CheckOptions& options_;
    Counts counts_;
    std::uint64_t judged_ = 0; // increments judged, as the scan counted them
    bool replayed_ = false;
    IncrementRun run_; // the increments in lock order (check/lock_order_runs.hpp)
};

} // namespace

std::unique_ptr<PropertyCheck> no_lost_update(const History& history, const CheckOptions& options) {
    return std::make_unique<NoLostUpdateCheck>(history, options);
}

} // namespace ipch::check
