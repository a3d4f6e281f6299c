// The lock order of a history without sorting it. Under a correct lock every critical section
// takes the next stamp, and each agent's events come in its own stamp order; so which agent holds
// each stamp (two bytes a stamp, noted during the scan) is enough to replay every event that ran
// in lock order, in that order, in one more pass over the logs: no copy of the events, no sort.
// A stamp two agents took (a broken lock's) is noted aside, and replayed agent after agent.
//
// A history where that does not hold (an agent's stamps going back, stamps far outside the range
// of the others, a section without a stamp) has no such replay; the checks that need lock order
// then sort copies of what they need, as such a history deserves.
#pragma once

#include "check/compact.hpp"
#include "check/detail.hpp"
#include "check/lock_order_runs.hpp"

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace ipch::check {

class LockOrder {
  public:
    explicit LockOrder(const History& history);

    // As PropertyCheck::scan: every agent's events, in order.
    void scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events);

    // Whether the events that ran in lock order can be replayed in stamp order: the events of
    // one stamp agent after agent (by position in History::agents), each agent's in its order.
    bool replayable() const { return replayable_; }

    // Whether an event that ran in lock order has no stamp (stamp 0: an external agent's log),
    // which leaves only times to judge lock order by. Known once every event was scanned.
    bool unstamped_sections() const { return unstamped_; }

    // Hands every event that ran in lock order to the runs in `runs`, in stamp order, all in
    // one loop. Only when replayable().
    void replay(LockOrderRuns& runs) const;

  private:
    const History& history_;
    std::uint64_t base_ = 0; // the stamp of slot 0
    // Per stamp - base_: the position + 1 of the agent that holds it; 0 while none does.
    ZeroedArray<std::uint16_t> holder_;
    // The stamps more agents hold: (slot, position + 1) of each agent after the first.
    std::vector<std::pair<std::size_t, std::uint16_t>> shared_;
    std::size_t low_ = SIZE_MAX; // the claimed slots lie in [low_, high_)
    std::size_t high_ = 0;
    bool replayable_ = true;
    bool unstamped_ = false;
    // Per agent position: its first event outside lock order after one in it, or nullptr.
    std::vector<const EventRecord*> first_outside_;
    bool any_ = false;             // the current agent has had an event in lock order
    std::uint64_t last_stamp_ = 0; // and this was its stamp
};

} // namespace ipch::check
