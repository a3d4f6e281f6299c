// The agent's side of the harness's coordination object: ordered open, the start barrier and
// the scenario's barriers.
#pragma once

#include "ipch/control_block.hpp"

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace ipch {

class ControlClient {
  public:
    // Opens the run's control object; throws std::runtime_error when it cannot.
    ControlClient(const std::string& name, std::uint32_t agent_index);
    ControlClient(const ControlClient&) = delete;
    ControlClient& operator=(const ControlClient&) = delete;

    // Blocks until the harness lets `phase` open; false on abort or timeout.
    bool wait_for_phase(OpenPhase phase, std::uint64_t timeout_ns);
    // Tells the harness this agent is past its open, successful or not.
    void mark_opened(bool ok);
    // Blocks at the start barrier; false on abort or timeout.
    bool wait_for_go(std::uint64_t timeout_ns);

    enum class BarrierResult {
        released, // every participant arrived
        timeout,  // not within the timeout (the barrier is broken from then on)
        broken,   // a participant ended without arriving, or another gave up
        aborted,  // the harness is stopping the run
    };
    // Meets the other participants (agent indices) at barrier `index`.
    BarrierResult wait_at_barrier(std::uint32_t index,
                                  const std::vector<std::uint32_t>& participants,
                                  std::uint64_t timeout_ns);
    // Whether a participant other than this agent has ended (its state is terminal).
    bool participant_ended(const std::vector<std::uint32_t>& participants) const;
    void break_barrier(BarrierSlot& barrier);

    void set_state(AgentState state);
    void set_op(std::uint32_t op_id) { slot_->op_id.store(op_id, std::memory_order_relaxed); }

  private:
    bool wait_until(std::atomic<std::uint32_t>& word, std::uint32_t at_least,
                    std::uint64_t timeout_ns);

    boost::interprocess::shared_memory_object object_;
    boost::interprocess::mapped_region region_;
    ControlBlock* block_ = nullptr;
    AgentSlot* slot_ = nullptr;
    std::uint32_t agent_index_ = 0;
    BarrierSlot* barriers_ = nullptr; // block_->barrier_count of them
};

} // namespace ipch
