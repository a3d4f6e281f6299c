// The agent's side of the harness's coordination object: ordered open and the start barrier.
#pragma once

#include "ipch/control_block.hpp"

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cstdint>
#include <string>

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

    void set_state(AgentState state);
    void set_op(std::uint32_t op_id) { slot_->op_id.store(op_id, std::memory_order_relaxed); }

  private:
    bool wait_until(std::atomic<std::uint32_t>& word, std::uint32_t at_least,
                    std::uint64_t timeout_ns);

    boost::interprocess::shared_memory_object object_;
    boost::interprocess::mapped_region region_;
    ControlBlock* block_ = nullptr;
    AgentSlot* slot_ = nullptr;
};

} // namespace ipch
