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
        region_.get_size() < control_block_size(block_->agent_count))
        throw std::runtime_error("agent index " + std::to_string(agent_index) +
                                 " is outside the control object's " +
                                 std::to_string(block_->agent_count) + " slots");
    slot_ = &block_->slots[agent_index];
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
}

} // namespace ipch
