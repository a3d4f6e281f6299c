// Process-shared futex waits and wakes on 32-bit words in shared memory (Linux).
#pragma once

#include <atomic>
#include <cstdint>

namespace ipch {

// Sleeps while `word` still holds `expected`, for at most `timeout_ns`. Returns on a wake, a
// change of the word, a signal or the timeout; callers re-check their condition in a loop.
void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected, std::uint64_t timeout_ns);

// Wakes every process sleeping on `word`.
void futex_wake_all(std::atomic<std::uint32_t>& word);

} // namespace ipch
