#include "check/lock_order.hpp"

#include <algorithm>
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
    if (first == 0) any_ = false;
    // Locals, not members, in the loop: they stay in registers.
    bool any = any_;
    std::uint64_t last = last_stamp_;
    const auto holder = static_cast<std::uint16_t>(agent + 1);
    for (const EventRecord& event : events) {
        if (!in_lock_order(event)) continue;
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
    any_ = any;
    last_stamp_ = last;
}

void LockOrder::replay(LockOrderRuns& runs) const {
    // Per agent: its events, and the next of them that ran in lock order (or the end): so each
    // event is tested for lock order once.
    struct Cursor {
        const EventRecord* next;
        const EventRecord* end;
    };
    const auto next_in_order = [](const EventRecord* event, const EventRecord* end) {
        while (event != end && !in_lock_order(*event))
            ++event;
        return event;
    };
    std::vector<Cursor> cursors;
    for (const AgentHistory& agent : history_.agents) {
        const EventRecord* const end = agent.events.data() + agent.events.size();
        cursors.push_back(Cursor{next_in_order(agent.events.data(), end), end});
    }
    // The runs as locals, in registers while the events go by; a check that did not join
    // gets a run nobody reads.
    SectionRun sections = runs.sections != nullptr ? *runs.sections : SectionRun{};
    IncrementRun increments = runs.increments != nullptr ? *runs.increments : IncrementRun{};
    StepRun steps = runs.steps != nullptr ? *runs.steps : StepRun{};
    if (runs.steps == nullptr) steps.out_of_order = true; // nothing to judge a read by
    std::vector<std::pair<std::size_t, std::uint16_t>> shared = shared_;
    std::sort(shared.begin(), shared.end()); // by slot, then agent
    shared.emplace_back(SIZE_MAX, 0);        // the end: a slot the loop never reaches
    const std::pair<std::size_t, std::uint16_t>* more = shared.data();
    // One loop, the runs' steps inlined in it: a lambda or a call per stamp would keep the runs
    // in memory rather than registers, and so would members (the loop stores through pointers
    // the compiler cannot tell from them): the table and the cursors as locals.
    const std::uint16_t* const holder = holder_.data();
    Cursor* const cursor_of = cursors.data();
    const std::uint64_t base = base_;
    const std::size_t high = high_;
    for (std::size_t slot = low_; slot < high; ++slot) {
        if (holder[slot] == 0) continue;
        const std::uint64_t stamp = base + slot;
        // The first to claim it came first in the scan: the lowest position; then any others.
        std::size_t agent = holder[slot] - 1u;
        for (;;) {
            Cursor& cursor = cursor_of[agent];
            const EventRecord* event = cursor.next;
            const EventRecord* const end = cursor.end;
            // The agent's explicit section, if these events make one: the agent's events with
            // one stamp all come here at once, so what it was in before does not matter.
            ReplayedSection section;
            while (event != end && event->stamp == stamp) {
                sections.see(*event, agent);
                increments.see(*event);
                steps.see(*event, agent, section);
                prefetch_ahead(event);
                event = next_in_order(event + 1, end);
            }
            cursor.next = event;
            if (more->first != slot) break;
            agent = more->second - 1u;
            ++more;
        }
    }
    sections.done();
    if (runs.sections != nullptr) *runs.sections = sections;
    if (runs.increments != nullptr) *runs.increments = increments;
    if (runs.steps != nullptr) *runs.steps = steps;
}

} // namespace ipch::check
