// The harness's own coordination object, shared with every built-in agent of a run: the
// ordered open and the start barrier. It is a separate named object (`ipch-<run>-ctl`) so
// that coordination never touches the mutex or the mapping under test.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace ipch {

inline constexpr std::uint32_t control_magic = 0x4c544349; // "ICTL"
inline constexpr std::uint32_t control_version = 2;

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
};

// One cache line per agent: each agent writes its own slot on every op, and must not slow its
// neighbours down by sharing a line with them.
struct alignas(64) AgentSlot {
    std::atomic<std::uint32_t> state; // AgentState
    std::atomic<std::uint32_t> op_id; // the op being executed (for hang evidence)
    std::atomic<std::uint64_t> t_state_ns;
};

struct ControlBlock {
    std::uint32_t magic;
    std::uint32_t version;
    std::uint32_t agent_count;
    std::uint32_t reserved;
    std::atomic<std::uint32_t> open_phase; // OpenPhase; futex word
    std::atomic<std::uint32_t> go;         // 0 -> 1 releases the start barrier; futex word
    std::atomic<std::uint32_t> abort;      // 1: the harness gave up, agents leave
    std::uint32_t reserved1;
    AgentSlot slots[1]; // agent_count of them; the object is sized by control_block_size()
};

inline constexpr std::size_t control_block_size(std::uint32_t agent_count) {
    return offsetof(ControlBlock, slots) + sizeof(AgentSlot) * (agent_count ? agent_count : 1);
}

} // namespace ipch
