#include "ipch/event_log.hpp"

#include <cmath>
#include <limits>

namespace ipch {

std::string_view to_string(OpKind kind) {
    switch (kind) {
    case OpKind::open:
        return "open";
    case OpKind::write:
        return "write";
    case OpKind::read:
        return "read";
    case OpKind::wait_for:
        return "wait_for";
    case OpKind::hold:
        return "hold";
    case OpKind::sleep:
        return "sleep";
    case OpKind::close:
        return "close";
    case OpKind::remove:
        return "remove";
    case OpKind::increment:
        return "increment";
    case OpKind::lock:
        return "lock";
    case OpKind::unlock:
        return "unlock";
    case OpKind::try_lock:
        return "try_lock";
    case OpKind::timed_lock:
        return "timed_lock";
    case OpKind::barrier:
        return "barrier";
    case OpKind::crash:
        return "crash";
    }
    return "unknown-op";
}

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
    case Outcome::ok:
        return "ok";
    case Outcome::error:
        return "error";
    case Outcome::timeout:
        return "timeout";
    case Outcome::pending:
        return "pending";
    case Outcome::mismatch:
        return "mismatch";
    case Outcome::busy:
        return "busy";
    case Outcome::skipped:
        return "skipped";
    }
    return "unknown-outcome";
}

std::string_view to_string(ClockSource source) {
    return source == ClockSource::tsc ? "tsc" : "monotonic";
}

std::string_view to_string(ClockFallback fallback) {
    switch (fallback) {
    case ClockFallback::none:
        return "";
    case ClockFallback::asked:
        return "asked";
    case ClockFallback::not_invariant:
        return "not-invariant";
    case ClockFallback::calibration:
        return "calibration";
    }
    return "";
}

std::uint64_t clock_error_bound(const LogClock& clock, std::uint64_t latest_ns) {
    if (clock.provisional == 0 || latest_ns <= clock.since_ns) return clock.error_ns;
    const double seconds = static_cast<double>(latest_ns - clock.since_ns) / 1e9;
    // Rounded up: a bound. Saturated: a damaged log's times and rates can put it beyond 2^64 ns,
    // where converting the double would be undefined (found by fuzz_event_log).
    const double growth = std::ceil(seconds * clock.error_ns_per_s);
    constexpr std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
    if (growth >= 0x1p64) return most;
    const auto widened = static_cast<std::uint64_t>(growth);
    return widened > most - clock.error_ns ? most : clock.error_ns + widened;
}

} // namespace ipch
