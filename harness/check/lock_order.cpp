#include "check/lock_order.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace ipch::check {

namespace {

// How far into an agent's events to look for its first stamp, and how many stamps below the
// lowest first stamp found to leave room for: enough for an agent whose first section comes
// after a long stretch outside the lock, without reading the logs an extra time.
constexpr std::size_t probe_events = 4096;
constexpr std::uint64_t lead_stamps = 1 << 16;

// The lowest stamp any agent starts with, as far as the first events of each show.
std::uint64_t lowest_first_stamp(const History& history) {
    std::uint64_t lowest = std::numeric_limits<std::uint64_t>::max();
    for (const AgentHistory& agent : history.agents) {
        const std::size_t probed = std::min(agent.events.size(), probe_events);
        for (std::size_t i = 0; i < probed; ++i)
            if (in_lock_order(agent.events[i])) {
                lowest = std::min(lowest, agent.events[i].stamp);
                break;
            }
    }
    return lowest == std::numeric_limits<std::uint64_t>::max() ? 0 : lowest;
}

// Asks for an agent's events a few ahead of its cursor, both cache lines of each record. The
// replay jumps from agent to agent as the lock did, and each agent's next event has long left
// the cache since the scan: without this, waiting for them took half the replay's time.
constexpr std::size_t prefetch_distance = 4;

// An address past the end is harmless: a prefetch never faults.
inline void prefetch_ahead(const EventRecord* next) {
    const auto ahead =
        reinterpret_cast<std::uintptr_t>(next) + prefetch_distance * sizeof(EventRecord);
    __builtin_prefetch(reinterpret_cast<const void*>(ahead));
    __builtin_prefetch(reinterpret_cast<const void*>(ahead + sizeof(EventRecord) - 1));
}

// The common event of the replay: an op's own critical section (not an explicit section's
// lock, unlock or op inside), and none of the flags that spoil mutual-exclusion's run: a section
// for that run with no further test, and an increment without unreleased's. The kind test is one
// unsigned comparison: lock, unlock, try_lock and timed_lock are 10..13 (is_replayed_section
// asserts it), any kind below wraps far above.
[[gnu::always_inline]] inline bool own_settled_section(const EventRecord& event) {
    constexpr std::uint32_t tested = event_flag::critical_section | event_flag::in_section |
                                     event_flag::unreleased | event_flag::owner_busy |
                                     event_flag::owner_changed;
    return ((event.flags & tested) == event_flag::critical_section) &
           (static_cast<unsigned>(event.kind) - static_cast<unsigned>(OpKind::lock) >= 4u);
}

// An op of this kind that completed (Outcome::ok): kind and outcome without a branch between.
[[gnu::always_inline]] inline bool is_ok(const EventRecord& event, OpKind kind) {
    return (event.kind == kind) & (event.outcome == Outcome::ok);
}

} // namespace

LockOrder::LockOrder(const History& history)
    : history_(history), holder_(event_count(history) + lead_stamps) {
    const std::uint64_t lowest = lowest_first_stamp(history);
    // Never below 1: stamp 0 (a section without one) then falls outside the table, and the scan
    // needs no test of its own for it (the history is not replayable, and its checks judge it
    // by times alone anyway).
    base_ = std::max<std::uint64_t>(1, lowest - std::min(lowest, lead_stamps));
    // Agent positions + 1 must fit a holder slot.
    if (history.agents.size() >= std::numeric_limits<std::uint16_t>::max()) replayable_ = false;
}

void LockOrder::scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) {
    if (!replayable_) {
        unstamped_ = unstamped_ || any_unstamped(events);
        return;
    }
    if (first == 0) {
        any_ = false;
        first_outside_.push_back(nullptr);
    }
    // Locals, not members, in the loop: they stay in registers.
    bool any = any_;
    std::uint64_t last = last_stamp_;
    const EventRecord* first_outside = first_outside_.back();
    const auto holder = static_cast<std::uint16_t>(agent + 1);
    for (const EventRecord& event : events) {
        if (!in_lock_order(event)) {
            if (any && first_outside == nullptr) first_outside = &event;
            continue;
        }
        if (any) {
            if (event.stamp == last) continue; // more of the stamp it holds
            if (event.stamp < last) {          // its own stamps go back
                replayable_ = false;
                break;
            }
        }
        // The first of its events with this stamp: the agent holds it, unless the stamp is far
        // outside the others' range (below base_, it wraps far above).
        const std::uint64_t slot = event.stamp - base_;
        if (slot >= holder_.size()) {
            replayable_ = false;
            break;
        }
        if (holder_[slot] == 0)
            holder_[slot] = holder;
        else
            shared_.emplace_back(slot, holder);             // another agent holds it too
        if (!any) low_ = std::min<std::size_t>(low_, slot); // its stamps only go up from here
        any = true;
        last = event.stamp;
    }
    if (!replayable_) { // the whole chunk counts for unstamped_
        unstamped_ = unstamped_ || any_unstamped(events);
        return;
    }
    if (any) high_ = std::max<std::size_t>(high_, last - base_ + 1);
    first_outside_.back() = first_outside;
    any_ = any;
    last_stamp_ = last;
}

void LockOrder::replay(LockOrderRuns& runs) const {
    // Per agent: the next of its events that ran in lock order (or its end), and its end: so
    // each event is tested for lock order once.
    const auto next_in_order = [](const EventRecord* event, const EventRecord* end) {
        while (event != end && !in_lock_order(*event))
            ++event;
        return event;
    };
    // An agent whose events in lock order come one after another, nothing outside the lock
    // between them (as most do), is `dense`: its cursor steps to the next event untested, up
    // to its last event in lock order.
    // By holder slot value (the agent's position + 1; slot 0 unused): one base address for
    // the loop to keep.
    struct Cursor {
        const EventRecord* next;
        const EventRecord* end;
        std::size_t agent;
        bool dense;
    };
    std::vector<Cursor> cursors(1);
    for (std::size_t a = 0; a < history_.agents.size(); ++a) {
        const std::span<const EventRecord> events = history_.agents[a].events;
        const EventRecord* const next = next_in_order(events.data(), events.data() + events.size());
        const EventRecord* end = events.data() + events.size();
        while (end != next && !in_lock_order(end[-1]))
            --end;
        // Every agent was scanned: as PropertyCheck::scan, each gets a call, even without events.
        assert(a < first_outside_.size());
        const EventRecord* const outside = first_outside_[a];
        const bool dense = outside == nullptr || outside >= end;
        cursors.push_back(Cursor{next, dense ? end : events.data() + events.size(), a, dense});
    }
    // The runs as locals, in registers while the events go by; a check that did not join
    // gets a run nobody reads.
    SectionRun sections = runs.sections != nullptr ? *runs.sections : SectionRun{};
    IncrementRun increments = runs.increments != nullptr ? *runs.increments : IncrementRun{};
    StepRun steps = runs.steps != nullptr ? *runs.steps : StepRun{};
    if (runs.steps == nullptr) steps.out_of_order = true; // nothing to judge a read by
    // The stamps more agents hold, by stamp (not slot: the loop counts stamps), then agent.
    std::vector<std::pair<std::uint64_t, std::uint16_t>> shared;
    for (const auto& [slot, holder_plus_one] : shared_)
        shared.emplace_back(base_ + slot, holder_plus_one);
    std::sort(shared.begin(), shared.end());
    shared.emplace_back(UINT64_MAX, 0); // the end: a stamp the loop never reaches
    const std::pair<std::uint64_t, std::uint16_t>* more = shared.data();
    std::uint64_t next_shared = more->first;
    // One loop, the runs' steps inlined in it: a lambda or a call per stamp would keep the runs
    // in memory rather than registers, and so would members (the loop stores through pointers
    // the compiler cannot tell from them): the table and the cursors as locals.
    const std::uint16_t* const holder = holder_.data();
    Cursor* const cursor_of = cursors.data();
    const std::uint64_t base = base_;
    // No claimed slot at all leaves low_ above high_.
    const std::uint64_t first_stamp = base + std::min(low_, high_);
    const std::uint64_t last_stamp = base + high_;
    for (std::uint64_t stamp = first_stamp; stamp < last_stamp; ++stamp) {
        const unsigned holder_plus_one = holder[stamp - base];
        if (holder_plus_one == 0) continue;
        // The first to claim it came first in the scan: the lowest position; then any others.
        Cursor* cursor = cursor_of + holder_plus_one;
        for (;;) {
            const EventRecord* event = cursor->next;
            const EventRecord* const end = cursor->end;
            const std::size_t agent = cursor->agent;
            const bool dense = cursor->dense;
            // The agent's explicit section, if these events make one: the agent's events with
            // one stamp all come here at once, so what it was in before does not matter.
            ReplayedSection section;
            // The agent holds the stamp: its next event in lock order has it (the scan saw each
            // of its stamps in order, and each stamp before this one has had its turn).
            assert(event != end && event->stamp == stamp);
            do {
                if (own_settled_section(*event)) [[likely]] {
                    if (!sections.spoiled) sections.follow_settled(*event, agent);
                    increments.follow_if(*event, is_ok(*event, OpKind::increment));
                    section.inside = false;
                    steps.see_own_section(*event, agent);
                } else {
                    sections.see(*event, agent);
                    increments.see(*event);
                    steps.see(*event, agent, section);
                }
                prefetch_ahead(event);
                ++event;
                if (!dense) event = next_in_order(event, end);
            } while (event != end && event->stamp == stamp);
            cursor->next = event;
            if (next_shared != stamp) [[likely]]
                break;
            cursor = cursor_of + more->second;
            ++more;
            next_shared = more->first;
        }
    }
    sections.done();
    if (runs.sections != nullptr) *runs.sections = sections;
    if (runs.increments != nullptr) *runs.increments = increments;
    if (runs.steps != nullptr) *runs.steps = steps;
}

} // namespace ipch::check
