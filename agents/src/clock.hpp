// The agent's one clock: CLOCK_MONOTONIC, which every process of a host shares.
#pragma once

#include <cstdint>

namespace ipch {

std::uint64_t now_ns();

// Sleeps for `ns` (nanosleep; restarted after signals).
void sleep_ns(std::uint64_t ns);

// Waits until now_ns() >= deadline: spins for short waits, where a sleep would overshoot by
// tens of microseconds, and sleeps for long ones.
void wait_until_ns(std::uint64_t deadline);

} // namespace ipch
