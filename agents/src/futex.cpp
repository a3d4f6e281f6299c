#include "ipch/futex.hpp"

#include <ctime>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ipch {
namespace {

static_assert(sizeof(std::atomic<std::uint32_t>) == sizeof(std::uint32_t),
              "the futex word is the atomic's storage");

long futex(std::atomic<std::uint32_t>& word, int op, std::uint32_t value, const timespec* timeout) {
    // Not FUTEX_PRIVATE_FLAG: the word lives in memory shared between processes.
    return syscall(SYS_futex, reinterpret_cast<std::uint32_t*>(&word), op, value, timeout, nullptr,
                   0);
}

} // namespace

void futex_wait(std::atomic<std::uint32_t>& word, std::uint32_t expected,
                std::uint64_t timeout_ns) {
    const timespec timeout{static_cast<time_t>(timeout_ns / 1'000'000'000),
                           static_cast<long>(timeout_ns % 1'000'000'000)};
    futex(word, FUTEX_WAIT, expected, &timeout);
}

void futex_wake_all(std::atomic<std::uint32_t>& word) {
    futex(word, FUTEX_WAKE, INT32_MAX, nullptr);
}

} // namespace ipch
