#include "clock.hpp"

#include <cerrno>
#include <ctime>

namespace ipch {

std::uint64_t now_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

void sleep_ns(std::uint64_t ns) {
    timespec left{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

void wait_until_ns(std::uint64_t deadline) {
    // Below this a nanosleep's wake-up latency would dominate the wait.
    constexpr std::uint64_t spin_below_ns = 200'000;
    for (std::uint64_t now = now_ns(); now < deadline; now = now_ns()) {
        const std::uint64_t left = deadline - now;
        if (left > spin_below_ns) sleep_ns(left - spin_below_ns);
    }
}

} // namespace ipch
