#include "control.hpp"

#include "clock.hpp"
#include "ipch/futex.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <stdexcept>

namespace ipch {

namespace bip = boost::interprocess;

ControlClient::ControlClient(const std::string& name, std::uint32_t agent_index) {
    try {
        object_ = bip::shared_memory_object(bip::open_only, name.c_str(), bip::read_write);
        region_ = bip::mapped_region(object_, bip::read_write);
    } catch (const bip::interprocess_exception& e) {
        throw std::runtime_error("cannot open the harness's control object '" + name +
                                 "': " + e.what());
    }
    block_ = static_cast<ControlBlock*>(region_.get_address());
    if (region_.get_size() < sizeof(ControlBlock) || block_->magic != control_magic ||
        block_->version != control_version)
        throw std::runtime_error("'" + name + "' is not an ipc-harness control object of version " +
                                 std::to_string(control_version));
    if (agent_index >= block_->agent_count ||
        region_.get_size() < control_block_size(block_->agent_count, block_->barrier_count))
        throw std::runtime_error("agent index " + std::to_string(agent_index) +
                                 " is outside the control object's " +
                                 std::to_string(block_->agent_count) + " slots");
    slot_ = &block_->slots[agent_index];
    agent_index_ = agent_index;
    barriers_ = control_barriers(*block_);
}

bool ControlClient::wait_until(std::atomic<std::uint32_t>& word, std::uint32_t at_least,
                               std::uint64_t timeout_ns) {
    const std::uint64_t deadline = now_ns() + timeout_ns;
    // Short futex sleeps: the abort flag and the deadline are re-checked between them.
    constexpr std::uint64_t slice_ns = 50'000'000;
    for (;;) {
        const std::uint32_t value = word.load(std::memory_order_acquire);
        if (value >= at_least) return true;
        if (block_->abort.load(std::memory_order_acquire) != 0) return false;
        const std::uint64_t now = now_ns();
        if (now >= deadline) return false;
        futex_wait(word, value, std::min(slice_ns, deadline - now));
    }
}

bool ControlClient::wait_for_phase(OpenPhase phase, std::uint64_t timeout_ns) {
    return wait_until(block_->open_phase, static_cast<std::uint32_t>(phase), timeout_ns);
}

void ControlClient::mark_opened(bool ok) {
    set_state(ok ? AgentState::opened : AgentState::failed);
}

bool ControlClient::wait_for_go(std::uint64_t timeout_ns) {
    return wait_until(block_->go, 1, timeout_ns);
}

void ControlClient::set_state(AgentState state) {
    slot_->t_state_ns.store(now_ns(), std::memory_order_relaxed);
    slot_->state.store(static_cast<std::uint32_t>(state), std::memory_order_release);
    // Participants waiting for this agent at a barrier learn at once that it will not come.
    if (is_terminal(state))
        for (std::uint32_t i = 0; i < block_->barrier_count; ++i)
            futex_wake_all(barriers_[i].generation);
}

bool ControlClient::participant_ended(const std::vector<std::uint32_t>& participants) const {
    for (const std::uint32_t index : participants) {
        if (index == agent_index_ || index >= block_->agent_count) continue;
        const auto state =
            static_cast<AgentState>(block_->slots[index].state.load(std::memory_order_acquire));
        if (is_terminal(state)) return true;
    }
    return false;
}

void ControlClient::break_barrier(BarrierSlot& barrier) {
    barrier.broken.store(1, std::memory_order_release);
    futex_wake_all(barrier.generation);
}

ControlClient::BarrierResult
ControlClient::wait_at_barrier(std::uint32_t index, const std::vector<std::uint32_t>& participants,
                               std::uint64_t timeout_ns) {
    if (index >= block_->barrier_count) return BarrierResult::broken;
    BarrierSlot& barrier = barriers_[index];
    if (barrier.broken.load(std::memory_order_acquire) != 0) return BarrierResult::broken;
    // Read before arriving: the generation cannot advance until this agent has arrived.
    const std::uint32_t generation = barrier.generation.load(std::memory_order_acquire);
    const auto count = static_cast<std::uint32_t>(participants.size());
    if (barrier.arrived.fetch_add(1, std::memory_order_acq_rel) + 1 >= count) {
        // The last to arrive: reset the count before the new generation is published, so a
        // participant that leaves and arrives again counts towards the next round.
        barrier.arrived.store(0, std::memory_order_relaxed);
        barrier.generation.fetch_add(1, std::memory_order_release);
        futex_wake_all(barrier.generation);
        return BarrierResult::released;
    }
    const std::uint64_t deadline = now_ns() + timeout_ns;
    // Ended participants are seen through their slots, which are no futex words: a short slice
    // bounds how late that is noticed when nobody wakes the waiters.
    constexpr std::uint64_t slice_ns = 10'000'000;
    const auto released = [&] {
        return barrier.generation.load(std::memory_order_acquire) != generation;
    };
    for (;;) {
        if (released()) return BarrierResult::released;
        if (barrier.broken.load(std::memory_order_acquire) != 0) return BarrierResult::broken;
        if (block_->abort.load(std::memory_order_acquire) != 0) return BarrierResult::aborted;
        // The generation first, then the slots, then the generation again: a participant that
        // passed this barrier and then finished has advanced the generation before it ended.
        if (participant_ended(participants)) {
            if (released()) return BarrierResult::released;
            break_barrier(barrier);
            return BarrierResult::broken;
        }
        const std::uint64_t now = now_ns();
        if (now >= deadline) {
            break_barrier(barrier);
            return BarrierResult::timeout;
        }
        futex_wait(barrier.generation, generation, std::min(slice_ns, deadline - now));
    }
}

} // namespace ipch
