// The harness's own coordination object, shared with every built-in agent of a run: the
// ordered open, the start barrier and the scenario's barriers. It is a separate named object
// (`ipch-<run>-ctl`) so that coordination never touches the mutex or the mapping under test.
//
//   [ControlBlock header][AgentSlot x agent_count][BarrierSlot x barrier_count]
//
// Version 3 added the barrier area after the slots; every earlier offset is unchanged (an
// external agent reads them).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ipch {

inline constexpr std::uint32_t control_magic = 0x4c544349; // "ICTL"
inline constexpr std::uint32_t control_version = 3;

// Agents open in two phases, like the classic's "start app1, then app2": agents that may
// create the objects open first; agents that open existing objects open once all of those
// have opened. Then the harness releases everyone at once.
enum class OpenPhase : std::uint32_t { wait = 0, creators = 1, everyone = 2 };

enum class AgentState : std::uint32_t {
    starting = 0,
    opened = 1,  // objects open, waiting at the start barrier
    running = 2, // past the start barrier
    done = 3,
    failed = 4,
    // Written by the harness when it reaps an agent that did not end normally (a signal: a crash
    // op, a kill; or an exit before it set done or failed itself): barrier waiters stop waiting
    // for it. An agent never writes it.
    crashed = 5,
};

inline constexpr bool is_terminal(AgentState state) {
    return state == AgentState::done || state == AgentState::failed || state == AgentState::crashed;
}

// One cache line per agent: each agent writes its own slot on every op, and must not slow its
// neighbours down by sharing a line with them.
struct alignas(64) AgentSlot {
    std::atomic<std::uint32_t> state; // AgentState
    std::atomic<std::uint32_t> op_id; // the op being executed (for hang evidence)
    std::atomic<std::uint64_t> t_state_ns;
    // Harness-written when it overwrites `state` at reaping: the state the agent had reached
    // itself (so the harness still knows whether it passed the start barrier).
    std::atomic<std::uint32_t> state_before_end;
};

// One scenario barrier: a reusable generation barrier. The last participant to arrive resets
// `arrived` and advances `generation`; the others sleep on `generation` (a futex word).
// `broken` is set for good once a participant gave up (it ended without arriving, or a wait
// timed out): its arrival is already counted, so the barrier can never release correctly again.
struct alignas(64) BarrierSlot {
    std::atomic<std::uint32_t> arrived;
    std::atomic<std::uint32_t> generation;
    std::atomic<std::uint32_t> broken;
};

struct ControlBlock {
    std::uint32_t magic;
    std::uint32_t version;
    std::uint32_t agent_count;
    std::uint32_t barrier_count;           // BarrierSlots after the agent slots (version 3)
    std::atomic<std::uint32_t> open_phase; // OpenPhase; futex word
    std::atomic<std::uint32_t> go;         // 0 -> 1 releases the start barrier; futex word
    std::atomic<std::uint32_t> abort;      // 1: the harness gave up, agents leave
    std::uint32_t reserved1;
    AgentSlot slots[1]; // agent_count of them; the object is sized by control_block_size()
};

inline constexpr std::size_t control_barriers_offset(std::uint32_t agent_count) {
    return offsetof(ControlBlock, slots) + sizeof(AgentSlot) * (agent_count ? agent_count : 1);
}

inline constexpr std::size_t control_block_size(std::uint32_t agent_count,
                                                std::uint32_t barrier_count = 0) {
    return control_barriers_offset(agent_count) + sizeof(BarrierSlot) * barrier_count;
}

// The barrier area of a control block of `agent_count` slots.
inline BarrierSlot* control_barriers(ControlBlock& block) {
    return reinterpret_cast<BarrierSlot*>(reinterpret_cast<char*>(&block) +
                                          control_barriers_offset(block.agent_count));
}

} // namespace ipch
