#include "check/lock_order.hpp"

#include <algorithm>
#include <array>
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

} // namespace

LockOrder::LockOrder(const History& history)
    : history_(history), holder_(event_count(history) + lead_stamps) {
    const std::uint64_t lowest = lowest_first_stamp(history);
    base_ = lowest - std::min(lowest, lead_stamps);
    // Agent positions + 1 must fit a holder slot.
    if (history.agents.size() >= std::numeric_limits<std::uint16_t>::max()) replayable_ = false;
}

void LockOrder::scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) {
    if (!replayable_) return;
    if (first == 0) any_ = false;
    // Locals, not members, in the loop: they stay in registers.
    bool any = any_;
    std::uint64_t last = last_stamp_;
    std::size_t low = low_;
    std::size_t high = high_;
    const auto holder = static_cast<std::uint16_t>(agent + 1);
    for (const EventRecord& event : events) {
        if (!in_lock_order(event) || (any && event.stamp == last)) continue;
        // The first of its events with this stamp: the agent holds it, unless its own stamps go
        // back, the stamp is far outside the others' range, or another agent holds it too.
        const std::uint64_t slot = event.stamp - base_;
        if ((any && event.stamp < last) || event.stamp < base_ || slot >= holder_.size() ||
            holder_[slot] != 0) {
            replayable_ = false;
            return;
        }
        holder_[slot] = holder;
        any = true;
        last = event.stamp;
        low = std::min<std::size_t>(low, slot);
        high = std::max<std::size_t>(high, slot + 1);
    }
    any_ = any;
    last_stamp_ = last;
    low_ = low;
    high_ = high;
}

void LockOrder::replay(const std::vector<PropertyCheck*>& checks) const {
    // A batch small enough to stay in cache while every check reads its events.
    std::array<OrderedEvent, 256> batch;
    std::size_t batched = 0;
    const auto flush = [&] {
        for (PropertyCheck* check : checks)
            check->replay(std::span<const OrderedEvent>(batch.data(), batched));
        batched = 0;
    };
    // Per agent: its events, and the next one the replay has not passed.
    std::vector<std::span<const EventRecord>> events;
    for (const AgentHistory& agent : history_.agents)
        events.push_back(agent.events);
    std::vector<std::size_t> next(events.size(), 0);
    for (std::size_t slot = low_; slot < high_; ++slot) {
        if (holder_[slot] == 0) continue;
        const std::size_t agent = holder_[slot] - 1u;
        const std::uint64_t stamp = base_ + slot;
        const EventRecord* const records = events[agent].data();
        const std::size_t end = events[agent].size();
        std::size_t i = next[agent];
        for (; i < end; ++i) {
            if (!in_lock_order(records[i])) continue;
            if (records[i].stamp != stamp) break; // the agent's next stamp
            batch[batched++] = OrderedEvent{&records[i], agent, i};
            if (batched == batch.size()) flush();
        }
        next[agent] = i;
    }
    flush();
    for (PropertyCheck* check : checks)
        check->replayed();
}

} // namespace ipch::check
