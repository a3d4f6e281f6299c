// Executes an agent's op tree against the mapping and mutex, recording one event per op.
#pragma once

#include "backend.hpp"
#include "control.hpp"
#include "event_recorder.hpp"
#include "ipch/agent_plan.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ipch {

class Executor {
  public:
    Executor(const AgentPlan& plan, Mapping& mapping, MutexBackend& mutex, EventRecorder& recorder,
             ControlClient* control);

    // Runs every op of the plan. Throws std::runtime_error on a failure that stops the agent
    // (after recording it as an error event).
    void run();

  private:
    // What one critical section saw and did.
    struct Section {
        std::uint64_t t_requested = 0;
        std::uint64_t t_acquired = 0;
        std::uint64_t t_released = 0;
        std::uint64_t stamp = 0;
        std::uint32_t flags = 0;
        std::uint32_t owner_seen = 0;
    };

    void run_ops(const std::vector<PlanOp>& ops);
    void run_leaf(const PlanOp& op);
    void write(const PlanOp& op);
    void read(const PlanOp& op);
    void wait_for(const PlanOp& op);
    void hold(const PlanOp& op);
    void sleep(const PlanOp& op);

    // Locks, stamps, runs `body` inside the critical section, unlocks.
    template <typename Body>
    Section locked(Body&& body);

    // Inside a critical section: copies the current message into read_buffer_.
    MessageHeader copy_message();
    // After it: fills the event's observation fields; returns the payload seen.
    std::string_view observe(const MessageHeader& header, EventRecord& event) const;

    EventRecord event_for(const PlanOp& op, const Section& section) const;
    std::size_t capacity() const { return mapping_.layout().capacity; }

    const AgentPlan& plan_;
    Mapping& mapping_;
    MutexBackend& mutex_;
    EventRecorder& recorder_;
    ControlClient* control_;
    std::uint64_t seq_ = 0;    // op instances executed
    std::uint64_t writes_ = 0; // messages written
    std::uint32_t owner_token_;
    std::unique_ptr<char[]> read_buffer_; // capacity() bytes
};

} // namespace ipch
