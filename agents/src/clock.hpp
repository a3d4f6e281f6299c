// The agent's clock. Every time it records is in CLOCK_MONOTONIC nanoseconds, the timebase every
// process of a host shares. It reads that clock directly, or (x86-64 with an invariant TSC) the
// TSC, converted to the same timebase by a calibration against CLOCK_MONOTONIC: rdtsc costs a
// fraction of clock_gettime, which matters when every op of a 15 ns critical section is stamped.
//
// The calibration: a pair (ticks, ns) read at agent start and another when the run starts give
// the rate the run's stamps use; a third pair at the end gives the rate over the whole run, the
// drift of the first (the distance between the converted end and CLOCK_MONOTONIC's), and the
// correction the recorder applies to the stamps already written (EventRecorder::correct_times).
// What remains is each pair's read window: the error bound the log states (ClockReport).
#pragma once

#include "ipch/event_log.hpp"

#include <cstdint>
#include <optional>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace ipch {

// CLOCK_MONOTONIC in nanoseconds.
std::uint64_t monotonic_ns();

// The TSC (0 where there is none: not x86-64).
inline std::uint64_t read_ticks() {
#if defined(__x86_64__)
    return __rdtsc();
#else
    return 0;
#endif
}

// One reading of both clocks: ns is the middle of the read window (two CLOCK_MONOTONIC reads
// around the tick read), window_ns its width, the bound on how far ns can be from the true
// CLOCK_MONOTONIC time of `ticks`.
struct ClockPair {
    std::uint64_t ticks = 0;
    std::uint64_t ns = 0;
    std::uint64_t window_ns = 0;
};

// The narrowest of `tries` readings (a reading interrupted by the scheduler has a wide window).
// The clocks are parameters so that tests can drive it with fake ones.
template <typename Ticks, typename Ns>
ClockPair read_pair(Ticks ticks, Ns ns, int tries = 7) {
    ClockPair best;
    for (int i = 0; i < tries; ++i) {
        const std::uint64_t before = ns();
        const std::uint64_t t = ticks();
        const std::uint64_t after = ns();
        const std::uint64_t window = after >= before ? after - before : UINT64_MAX;
        if (i == 0 || window < best.window_ns) best = {t, before + window / 2, window};
    }
    return best;
}

// 128 bits for the product of a tick count and a 32.32 rate (GCC and Clang have it).
__extension__ typedef unsigned __int128 uint128_t;

// A linear map from ticks to CLOCK_MONOTONIC ns through a base pair: ns = base_ns + (ticks -
// base_ticks) * rate, the rate in 32.32 fixed point (one multiply per conversion).
struct TscConversion {
    std::uint64_t base_ticks = 0;
    std::uint64_t base_ns = 0;
    std::uint64_t rate_q32 = 0; // ns per tick << 32

    std::uint64_t to_ns(std::uint64_t ticks) const {
        // Ticks before the base (another core's TSC a few ticks behind) count as the base.
        const std::uint64_t delta = ticks > base_ticks ? ticks - base_ticks : 0;
        // Rounded to the nearest ns.
        return base_ns + static_cast<std::uint64_t>(
                             (static_cast<uint128_t>(delta) * rate_q32 + (1ull << 31)) >> 32);
    }
    double ns_per_tick() const { return static_cast<double>(rate_q32) / 4294967296.0; }

    // The map through `to`, at the rate from `from` to `to`; nullopt when the pairs cannot give a
    // rate (no ticks or no time between them) or it is implausible (a TSC below 50 MHz or above
    // 20 GHz: not a TSC one can trust).
    static std::optional<TscConversion> between(const ClockPair& from, const ClockPair& to);
};

// How the agent's clock held, as its log's header records it (event_log.hpp).
using ClockReport = LogClock;

// The correction of a stamp made with `provisional` to the end's two-point rate: the stamp again,
// as the whole-run map would have made it. Pure: the recorder applies it to every stamp made
// after `provisional` took over.
struct TimeCorrection {
    std::uint64_t base_ns = 0;
    double factor = 1.0; // whole-run rate / provisional rate
    std::uint64_t apply(std::uint64_t ns) const {
        if (ns <= base_ns) return ns;
        return base_ns +
               static_cast<std::uint64_t>(static_cast<double>(ns - base_ns) * factor + 0.5);
    }
};

// The whole calibration of one agent, from three pairs: start (at agent start), run (when the
// TSC takes over, at least min_calibration_ns later), end. Pure, for tests with fake clocks.
struct TscCalibration {
    static constexpr std::uint64_t min_calibration_ns = 2'000'000;
    // A pair read over more than this was interrupted every try: no calibration from it.
    static constexpr std::uint64_t max_window_ns = 2'000;

    ClockPair start;
    ClockPair run;
    TscConversion provisional; // through `run`, at the start..run rate

    // From the start and run pairs; nullopt (fall back to CLOCK_MONOTONIC) when they cannot give
    // a trustworthy map.
    static std::optional<TscCalibration> begin(const ClockPair& start, const ClockPair& run);
    // How far the provisional rate may be from the true one, relative, from the start and run
    // pairs' windows over their baseline (with a 1 ppm floor), as long as the TSC ticks evenly.
    double rate_uncertainty() const;
    // When the TSC takes over: the report a dead agent's log keeps, its times uncorrected (the
    // error grows from the run pair's half window at rate_uncertainty()).
    ClockReport provisional_report() const;
    // At the end: the report (drift, error bound, rate) and the correction for the stamps.
    ClockReport finish(const ClockPair& end, TimeCorrection& correction) const;
};

namespace clock_detail {
extern bool tsc_active;
extern TscConversion active;
} // namespace clock_detail

// Now, in CLOCK_MONOTONIC ns: from the TSC once use_tsc() made it the source.
inline std::uint64_t now_ns() {
    if (clock_detail::tsc_active) return clock_detail::active.to_ns(read_ticks());
    return monotonic_ns();
}

// now_ns() in two halves, for a critical section: the read (the TSC's ticks, or the ns themselves
// without it), short enough to stay inside, and the conversion, which can wait until after the
// unlock. reading_ns(clock_reading()) == now_ns().
inline std::uint64_t clock_reading() {
    return clock_detail::tsc_active ? read_ticks() : monotonic_ns();
}
inline std::uint64_t reading_ns(std::uint64_t reading) {
    return clock_detail::tsc_active ? clock_detail::active.to_ns(reading) : reading;
}

// Makes now_ns() read the TSC through `conversion`; use_monotonic() undoes it.
void use_tsc(const TscConversion& conversion);
void use_monotonic();

// Sleeps for `ns` (nanosleep; restarted after signals).
void sleep_ns(std::uint64_t ns);

// Waits until now_ns() >= deadline: spins for short waits, where a sleep would overshoot by
// tens of microseconds, and sleeps for long ones.
void wait_until_ns(std::uint64_t deadline);

} // namespace ipch
