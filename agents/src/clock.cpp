#include "clock.hpp"

#include <cerrno>
#include <cmath>
#include <ctime>
#include <string>

namespace ipch {

namespace clock_detail {
bool tsc_active = false;
TscConversion active{};
} // namespace clock_detail

std::uint64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

std::optional<TscConversion> TscConversion::between(const ClockPair& from, const ClockPair& to) {
    if (to.ticks <= from.ticks || to.ns <= from.ns) return std::nullopt;
    const double ns_per_tick =
        static_cast<double>(to.ns - from.ns) / static_cast<double>(to.ticks - from.ticks);
    // 50 MHz .. 20 GHz
    if (ns_per_tick < 0.05 || ns_per_tick > 20) return std::nullopt;
    return TscConversion{to.ticks, to.ns,
                         static_cast<std::uint64_t>(std::llround(ns_per_tick * 4294967296.0))};
}

std::optional<TscCalibration> TscCalibration::begin(const ClockPair& start, const ClockPair& run) {
    if (start.window_ns > max_window_ns || run.window_ns > max_window_ns) return std::nullopt;
    if (run.ns < start.ns + min_calibration_ns) return std::nullopt;
    const auto provisional = TscConversion::between(start, run);
    if (!provisional) return std::nullopt;
    return TscCalibration{start, run, *provisional};
}

double TscCalibration::rate_uncertainty() const {
    return static_cast<double>(start.window_ns + run.window_ns) /
               static_cast<double>(run.ns - start.ns) +
           1e-6;
}

ClockReport TscCalibration::provisional_report() const {
    ClockReport report{};
    report.source = ClockSource::tsc;
    report.provisional = 1;
    // The run pair's ns is within half its window of the truth; 2 ns for the roundings.
    report.error_ns = run.window_ns / 2 + 2;
    report.error_ns_per_s = static_cast<std::uint32_t>(std::ceil(rate_uncertainty() * 1e9));
    report.since_ns = run.ns;
    report.tsc_khz = static_cast<std::uint64_t>(std::llround(1e6 / provisional.ns_per_tick()));
    return report;
}

ClockReport TscCalibration::finish(const ClockPair& end, TimeCorrection& correction) const {
    ClockReport report{};
    report.source = ClockSource::tsc;
    report.drift_ns =
        static_cast<std::int64_t>(provisional.to_ns(end.ticks)) - static_cast<std::int64_t>(end.ns);
    // The whole run's rate (start .. end, the longest baseline), through the run pair as the
    // provisional map was: stamps made with it are scaled about that pair.
    const auto whole = TscConversion::between(start, end);
    correction = TimeCorrection{run.ns, 1.0};
    // Each pair's ns is within half its window of the truth; 2 ns for the roundings.
    report.error_ns = (start.window_ns + run.window_ns + end.window_ns) / 2 + 2;
    if (!whole) {
        // The end reading went backwards or stood still: nothing to correct with.
        report.disagreed = 1;
        report.error_ns = std::max<std::uint64_t>(report.error_ns, std::llabs(report.drift_ns));
        return report;
    }
    // In double, not the 32.32 fixed point of a conversion: the factor also undoes the rounding
    // of the provisional rate, which the stamps were made with.
    const double whole_rate =
        static_cast<double>(end.ns - start.ns) / static_cast<double>(end.ticks - start.ticks);
    correction.factor = whole_rate / provisional.ns_per_tick();
    report.tsc_khz = static_cast<std::uint64_t>(std::llround(1e6 / whole_rate));
    // Further apart than the windows alone explain: the TSC did not tick evenly.
    if (std::fabs(correction.factor - 1.0) > rate_uncertainty()) {
        report.disagreed = 1;
        report.error_ns = std::max<std::uint64_t>(report.error_ns, std::llabs(report.drift_ns));
    }
    return report;
}

void use_tsc(const TscConversion& conversion) {
    clock_detail::active = conversion;
    clock_detail::tsc_active = true;
}

void use_monotonic() {
    clock_detail::tsc_active = false;
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
