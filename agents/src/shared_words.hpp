// Access to the mapping's shared words (its header: stamp, owner word, message header), for the
// executor's files and for the backends' loop of unstamped sections (backend.hpp).
#pragma once

#include "ipch/event_log.hpp"
#include "ipch/mapping_layout.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ipch {

// The header's words are shared with other processes that may (under a broken lock) touch
// them at the same time: access them as relaxed atomics, and increment the stamp and the
// counter with a plain load and store, so that two overlapping critical sections can end up
// with the same stamp, and lose an increment.
template <typename T>
T load(const T& word) {
    // atomic_ref<const T> is not allowed: the word is only read here.
    return std::atomic_ref<T>(const_cast<T&>(word)).load(std::memory_order_relaxed);
}

template <typename T>
void store(T& word, T value) {
    std::atomic_ref<T>(word).store(value, std::memory_order_relaxed);
}

// memcpy, inline up to 64 bytes (two copies of a fixed size that overlap in the middle): for a
// payload that small the call to the library's memcpy costs about as much as the copy, and it
// runs inside the critical section (as does publish, which the compiler is told to inline).
[[gnu::always_inline]] inline void copy_payload(char* to, const char* from, std::size_t size) {
    const auto two = [&](auto block) {
        constexpr std::size_t n = sizeof block;
        std::memcpy(to, from, n);
        std::memcpy(to + size - n, from + size - n, n);
    };
    if (size > 64) {
        std::memcpy(to, from, size);
    } else if (size >= 32) {
        two(std::array<char, 32>{});
    } else if (size >= 16) {
        two(std::array<char, 16>{});
    } else if (size >= 8) {
        two(std::uint64_t{});
    } else if (size >= 4) {
        two(std::uint32_t{});
    } else {
        for (std::size_t i = 0; i < size; ++i)
            to[i] = from[i];
    }
}

// Inside a critical section: the message's payload, then its header, as a write leaves them
// (a mid-write crash copies only part of `payload` before it dies).
[[gnu::always_inline]] inline void publish(MappingHeader& header, char* payload_area,
                                           const MessageHeader& message, std::string_view payload) {
    copy_payload(payload_area, payload.data(), payload.size());
    store(header.message.writer, message.writer);
    store(header.message.length, message.length);
    store(header.message.writer_seq, message.writer_seq);
    store(header.message.checksum, message.checksum);
}

// What a critical section finds and leaves at acquire (Executor::enter, StampedWrites): the
// owner word it found, taken for `token`; the lock-order stamp, incremented; owner_busy when
// the owner found was another of this agent's own tokens.
struct Acquired {
    std::uint32_t owner_seen = 0;
    std::uint64_t stamp = 0;
    std::uint32_t flags = 0;
};

[[gnu::always_inline]] inline Acquired take_owner_word(MappingHeader& header, std::uint32_t token) {
    Acquired acquired;
    acquired.owner_seen = load(header.owner);
    if (acquired.owner_seen != 0 && (acquired.owner_seen >> 16) == (token >> 16))
        acquired.flags = event_flag::owner_busy;
    store(header.owner, token);
    acquired.stamp = load(header.stamp) + 1;
    store(header.stamp, acquired.stamp);
    return acquired;
}

// At release: the owner word given back; owner_changed when it was no longer `token`.
[[gnu::always_inline]] inline std::uint32_t give_owner_word_back(MappingHeader& header,
                                                                 std::uint32_t token) {
    const std::uint32_t flags = load(header.owner) != token ? event_flag::owner_changed : 0;
    store(header.owner, 0u);
    return flags;
}

// What the stress loop's write sections write (UnstampedWrites below, StampedWrites): the
// next messages of one writer, into the mapping whose header and payload area these are.
struct WriteTarget {
    MappingHeader& header;
    char* area;
    std::string_view payload;
    MessageHeader message; // the last one written: writer_seq counts on from it
    std::uint32_t owner;   // the agent's owner token
};

// The unstamped write sections of the sampled stress loop (Executor::write_unstamped_run): each
// takes the owner word (so that a stamped section overlapping it is caught), publishes the next
// message of its writer, and gives the owner word back; no clock, no stamp, no event. Inline, so
// that a backend's repeat_writes runs it with its own lock and unlock called directly.
struct UnstampedWrites : WriteTarget {
    // Inside the critical section.
    [[gnu::always_inline]] void section() {
        ++message.writer_seq;
        store(header.owner, owner);
        publish(header, area, message, payload);
        store(header.owner, 0u);
    }
};

} // namespace ipch
