// What the mapping under test holds, byte for byte.
//
//   [lock area: backend-owned, lock_bytes rounded up to 8][MappingHeader][payload ...]
//
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

struct MappingLayout {
    std::size_t size;          // the whole mapping
    std::size_t header_offset; // where MappingHeader starts
    std::size_t payload_offset;
    std::size_t capacity; // payload bytes available
};

// The layout of a mapping of `size` bytes whose backend keeps `lock_bytes` of lock state at
// its start; nullopt when the mapping is too small to hold the header and one payload byte.
std::optional<MappingLayout> mapping_layout(std::size_t size, std::size_t lock_bytes);

// Bytes of lock state a mutex kind keeps at the start of the mapping (0: a separate object).
std::size_t lock_bytes_for(MutexKind kind);

// The checksum every message carries (the Python example agent computes the same).
std::uint64_t message_checksum(const void* data, std::size_t length);

} // namespace ipch
