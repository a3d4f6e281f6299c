// What the mapping under test holds, byte for byte.
//
//   [lock area: backend-owned, lock_bytes rounded up to 8][MappingHeader][payload ...][guard]
//
// The guard is the mapping's last 8 bytes: zero, and never written by a correct agent, so a
// write that runs past the payload shows there (the capacity property reads it after the run).
// A freshly created mapping is zero-filled, and all-zero is a valid empty state (stamp 0, owner
// 0, no message), so an agent that create-or-opens never needs to know whether it created.
// Agent ids start at 1; 0 in a writer or owner field means "nobody".
#pragma once

#include "ipch/agent_plan.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ipch {

struct MessageHeader {
    std::uint32_t writer;     // agent id of the writer; 0: no message yet
    std::uint32_t length;     // payload bytes
    std::uint64_t writer_seq; // the writer's own count of its writes, from 1
    std::uint64_t checksum;   // XXH64 (seed 0) of the payload
};
static_assert(sizeof(MessageHeader) == 24);

struct MappingHeader {
    std::uint64_t stamp; // lock-order stamp: incremented inside every critical section
    std::uint32_t owner; // owner_token() of the agent inside the critical section; 0: none
    std::uint32_t reserved;
    std::uint64_t counter; // for increment ops (no-lost-update)
    MessageHeader message;
};
static_assert(sizeof(MappingHeader) == 48);

// The lock area of a mutex kind that lives in the mapping (interprocess_mutex, robust_mutex,
// spin): this header, then the lock object itself at lock_object_offset. The first agent to map
// a zero-filled mapping initialises it: it moves `state` from 0 to 1 (compare-and-swap), builds
// the lock object, writes `kind`, then sets `state` to 2 (release); every other agent waits for
// 2 before it touches the lock. docs/agent-protocol.md gives the layout per kind.
struct LockAreaHeader {
    std::uint32_t state;      // LockAreaState
    std::uint32_t kind;       // lock_area_kind() of the kind that initialised it
    std::uint32_t recoveries; // robust_mutex: acquisitions that found the holder dead
    std::uint32_t reserved;
};
static_assert(sizeof(LockAreaHeader) == 16);

enum class LockAreaState : std::uint32_t { zero = 0, initialising = 1, ready = 2 };

inline constexpr std::size_t lock_object_offset = 64; // a cache line of its own
inline constexpr std::size_t lock_object_room = 64;   // bytes the lock object may use
inline constexpr std::size_t in_mapping_lock_bytes = lock_object_offset + lock_object_room;

// The code a kind writes into LockAreaHeader::kind: 1 interprocess_mutex, 2 robust_mutex,
// 3 spin; 0 for kinds with no lock area.
std::uint32_t lock_area_kind(MutexKind kind);

inline constexpr std::size_t guard_bytes = 8;

struct MappingLayout {
    std::size_t size;          // the whole mapping
    std::size_t header_offset; // where MappingHeader starts
    std::size_t payload_offset;
    std::size_t capacity;     // payload bytes available: up to guard_offset
    std::size_t guard_offset; // the tail guard: guard_bytes of zero up to `size`
};

// The smallest mapping with a lock area of `lock_bytes`: the header, one payload byte, the guard.
std::size_t min_mapping_size(std::size_t lock_bytes);

// The layout of a mapping of `size` bytes whose backend keeps `lock_bytes` of lock state at
// its start; nullopt when the mapping is too small to hold the header, one payload byte and
// the guard.
std::optional<MappingLayout> mapping_layout(std::size_t size, std::size_t lock_bytes);

// Bytes of lock state a mutex kind keeps at the start of the mapping (0: a separate object).
std::size_t lock_bytes_for(MutexKind kind);

// The checksum every message carries (the Python example agent computes the same).
std::uint64_t message_checksum(const void* data, std::size_t length);

} // namespace ipch
