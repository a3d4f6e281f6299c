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

// Whether any of these events ran in lock order without a stamp; branch-free, as an unstamped
// event is rare.
bool any_unstamped(std::span<const EventRecord> events) {
    bool unstamped = false;
    for (const EventRecord& event : events)
        unstamped |= (event.stamp == 0) & in_lock_order(event);
    return unstamped;
}

} // namespace

LockOrder::LockOrder(const History& history)
    : history_(history), claims_(event_count(history) + lead_stamps) {
    const std::uint64_t lowest = lowest_first_stamp(history);
    base_ = lowest - std::min(lowest, lead_stamps);
    // Agent positions + 1 must fit a claim's holder.
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
    bool unstamped = false;
    std::uint64_t last = last_stamp_;
    Claim* run = run_;
    const auto holder = static_cast<std::uint16_t>(agent + 1);
    for (std::size_t k = 0; k < events.size(); ++k) {
        const EventRecord& event = events[k];
        if (!in_lock_order(event)) continue;
        unstamped |= event.stamp == 0;
        if (any) {
            if (event.stamp == last) { // more of the stamp it holds: the claim reaches it
                run->span = std::min<std::uint64_t>(first + k - run->first, open_span);
                continue;
            }
            if (event.stamp < last) { // its own stamps go back
                replayable_ = false;
                break;
            }
        }
        // The first of its events with this stamp: the agent holds it, unless the stamp is far
        // outside the others' range (below base_, it wraps far above).
        const std::uint64_t slot = event.stamp - base_;
        if (slot >= claims_.size()) {
            replayable_ = false;
            break;
        }
        if (first + k >= (std::uint64_t{1} << 40)) { // beyond what a claim can point at
            replayable_ = false;
            break;
        }
        const Claim claim{first + k, 0, holder};
        if (claims_[slot].holder == 0) {
            claims_[slot] = claim;
            run = &claims_[slot];
        } else { // another agent holds it too
            shared_.emplace_back(slot, claim);
            run = &shared_.back().second;
        }
        if (!any) low_ = std::min<std::size_t>(low_, slot); // its stamps only go up from here
        any = true;
        last = event.stamp;
    }
    unstamped_ = unstamped_ || unstamped;
    if (!replayable_) { // the rest of the chunk still counts for unstamped_
        unstamped_ = unstamped_ || any_unstamped(events);
        return;
    }
    if (any) high_ = std::max<std::size_t>(high_, last - base_ + 1);
    any_ = any;
    last_stamp_ = last;
    run_ = run;
}

void LockOrder::replay(const std::vector<PropertyCheck*>& checks) const {
    // A batch small enough to stay in cache while every check reads its events.
    std::array<OrderedEvent, 256> batch;
    std::size_t batched = 0;
    const auto hand_on = [&](const EventRecord* records, std::size_t agent, std::size_t i)
        __attribute__((always_inline)) {
        batch[batched++] = OrderedEvent{&records[i], agent, i};
        if (batched < batch.size()) return;
        for (PropertyCheck* check : checks)
            check->replay(batch);
        batched = 0;
    };
    // The claim's first event ran in lock order; of the others in its span (an explicit
    // section's ops, rarely), those that did.
    const auto replay_claim = [&](const Claim& claim) __attribute__((always_inline)) {
        const std::size_t agent = claim.holder - 1;
        const std::span<const EventRecord> events = history_.agents[agent].events;
        const EventRecord* const records = events.data();
        const std::size_t first = claim.first;
        hand_on(records, agent, first);
        if (claim.span == 0) [[likely]]
            return;
        if (claim.span < open_span) {
            for (std::size_t i = first + 1; i <= first + claim.span; ++i)
                if (in_lock_order(records[i])) hand_on(records, agent, i);
            return;
        }
        const std::uint64_t stamp = records[first].stamp;
        for (std::size_t i = first + 1; i < events.size(); ++i) {
            if (!in_lock_order(records[i])) continue;
            if (records[i].stamp != stamp) break;
            hand_on(records, agent, i);
        }
    };
    std::vector<std::pair<std::size_t, Claim>> shared = shared_;
    // By slot, then agent.
    std::sort(shared.begin(), shared.end(), [](const auto& x, const auto& y) {
        return x.first != y.first ? x.first < y.first : x.second.holder < y.second.holder;
    });
    auto more = shared.begin();
    for (std::size_t slot = low_; slot < high_; ++slot) {
        const Claim& claim = claims_[slot];
        if (claim.holder == 0) continue;
        // The first to claim it came first in the scan: the lowest position.
        replay_claim(claim);
        for (; more != shared.end() && more->first == slot; ++more)
            replay_claim(more->second);
    }
    for (PropertyCheck* check : checks) {
        check->replay(std::span<const OrderedEvent>(batch.data(), batched));
        check->replayed();
    }
}

} // namespace ipch::check
