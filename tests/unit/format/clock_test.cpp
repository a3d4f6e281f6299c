// The agent's clock: the TSC calibration's arithmetic driven by fake clocks (a TSC of a known
// rate, a CLOCK_MONOTONIC whose reads take known times), the recorder's correction of the times
// it wrote, and the real clock on this machine within the bound it states.
#include "agent_clock.hpp"
#include "clock.hpp"
#include "event_recorder.hpp"
#include "history.hpp"
#include "ipch/tsc_invariant.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <unistd.h>

using namespace ipch;

namespace {

// A fake machine: true time advances by `read_ns` on every clock read; the TSC ticks at
// `ghz` ticks per ns from `tick0`; CLOCK_MONOTONIC is the true time.
struct FakeClocks {
    double ghz = 3.0;
    std::uint64_t tick0 = 1'000'000;
    std::uint64_t now = 5'000'000'000; // true ns
    std::uint64_t read_ns = 10;
    std::uint64_t ticks_at(std::uint64_t ns) const {
        return tick0 + static_cast<std::uint64_t>(static_cast<double>(ns) * ghz);
    }
    std::uint64_t ticks() {
        now += read_ns;
        return ticks_at(now);
    }
    std::uint64_t ns() {
        now += read_ns;
        return now;
    }
    ClockPair pair() {
        return read_pair([this] { return ticks(); }, [this] { return ns(); });
    }
};

} // namespace

TEST_CASE("clock: a pair is the narrowest of its reads, its time the window's middle", "[clock]") {
    // Read windows of 100, 20, 300 ns: the second reading is kept.
    std::uint64_t t = 1000;
    const std::uint64_t widths[] = {100, 20, 300};
    int read = 0;
    std::uint64_t ticks = 0;
    const ClockPair pair = read_pair([&] { return ++ticks; },
                                     [&] {
                                         const std::uint64_t now = t;
                                         if (read % 2 == 0)
                                             t += widths[read / 2];
                                         else
                                             t += 1000;
                                         ++read;
                                         return now;
                                     },
                                     3);
    CHECK(pair.window_ns == 20);
    CHECK(pair.ticks == 2);
    CHECK(pair.ns == 1000 + 100 + 1000 + 10);
}

TEST_CASE("clock: ticks convert to ns at the pairs' rate, through the later pair", "[clock]") {
    const ClockPair from{1'000, 500, 0};
    const ClockPair to{3'001'000, 1'000'500, 0}; // 3 ticks per ns
    const auto conversion = TscConversion::between(from, to);
    REQUIRE(conversion);
    CHECK(conversion->to_ns(3'001'000) == 1'000'500);
    CHECK(conversion->to_ns(3'001'000 + 3'000'000'000ull) == 1'000'500 + 1'000'000'000);
    CHECK(std::abs(conversion->ns_per_tick() - 1.0 / 3) < 1e-9);
    // A tick count below the base (another core's TSC a little behind) is the base.
    CHECK(conversion->to_ns(3'000'000) == 1'000'500);
    // No rate from pairs without time or ticks between them, nor an implausible one.
    CHECK_FALSE(TscConversion::between(to, from));
    CHECK_FALSE(TscConversion::between(from, ClockPair{1'000, 2'000, 0}));
    CHECK_FALSE(TscConversion::between(from, ClockPair{1'001, 1'000'500, 0})); // 1 tick / ms
}

TEST_CASE("clock: no calibration from interrupted reads or too short a baseline", "[clock]") {
    FakeClocks clocks;
    const ClockPair start = clocks.pair();
    clocks.now += 1'000'000; // 1 ms: under the minimum
    CHECK_FALSE(TscCalibration::begin(start, clocks.pair()));
    clocks.now += 5'000'000;
    const ClockPair run = clocks.pair();
    CHECK(TscCalibration::begin(start, run));
    ClockPair wide = run;
    wide.window_ns = TscCalibration::max_window_ns + 1;
    CHECK_FALSE(TscCalibration::begin(start, wide));
}

TEST_CASE("clock: the end calibration reports the start one's drift and corrects it within the "
          "stated bound",
          "[clock]") {
    FakeClocks clocks;
    ClockPair start = clocks.pair();
    // The start pair's time is 200 ns late (a read the window did not show): the start rate is
    // off by 200 ns over 2 ms, 100 ppm.
    start.ns += 200;
    clocks.now += 2'000'000;
    const ClockPair run = clocks.pair();
    const auto calibration = TscCalibration::begin(start, run);
    REQUIRE(calibration);
    // 3 s of run; then the stamps the provisional map made, corrected.
    const std::uint64_t stamp_true = clocks.now + 1'500'000'000;
    const std::uint64_t stamp = calibration->provisional.to_ns(clocks.ticks_at(stamp_true));
    clocks.now += 3'000'000'000;
    const ClockPair end = clocks.pair();
    TimeCorrection correction;
    const ClockReport report = calibration->finish(end, correction);
    CHECK(report.source == ClockSource::tsc);
    // 100 ppm over 3 s is 300 us, early (the rate came out too low).
    CHECK(report.drift_ns < -250'000);
    CHECK(report.drift_ns > -350'000);
    CHECK(std::llabs(static_cast<std::int64_t>(stamp) - static_cast<std::int64_t>(stamp_true)) >
          100'000);
    // The whole run's rate puts it back, within the stated error (which the 200 ns error of the
    // start pair exceeds: the bound covers the windows, not a reading the window hid, so it is
    // stated as "disagreed" and widened to the drift).
    const std::uint64_t corrected = correction.apply(stamp);
    CHECK(report.disagreed == 1);
    CHECK(report.error_ns >= static_cast<std::uint64_t>(-report.drift_ns));
    CHECK(
        std::llabs(static_cast<std::int64_t>(corrected) - static_cast<std::int64_t>(stamp_true)) <=
        static_cast<std::int64_t>(report.error_ns));
    CHECK(std::llabs(static_cast<std::int64_t>(corrected) - static_cast<std::int64_t>(stamp_true)) <
          500);
    CHECK(report.tsc_khz > 2'999'000);
    CHECK(report.tsc_khz < 3'001'000);
}

TEST_CASE("clock: with honest windows the correction stays within error_ns, and two agents' "
          "stamps of one instant within their bounds of each other",
          "[clock]") {
    // Two agents with different read costs (windows) and start times, one TSC.
    FakeClocks a, b;
    b.read_ns = 37;
    b.now = a.now + 777'777;
    const auto calibrate = [](FakeClocks& clocks) {
        const ClockPair start = clocks.pair();
        clocks.now += 2'500'000;
        const auto calibration = TscCalibration::begin(start, clocks.pair());
        REQUIRE(calibration);
        return *calibration;
    };
    const TscCalibration ca = calibrate(a), cb = calibrate(b);
    // One true instant, stamped by both from the same TSC value.
    const std::uint64_t instant = std::max(a.now, b.now) + 2'000'000'000;
    const std::uint64_t ticks = a.ticks_at(instant);
    const std::uint64_t stamp_a = ca.provisional.to_ns(ticks);
    const std::uint64_t stamp_b = cb.provisional.to_ns(ticks);
    a.now = b.now = instant + 1'000'000'000;
    TimeCorrection fix_a, fix_b;
    const ClockReport ra = ca.finish(a.pair(), fix_a);
    const ClockReport rb = cb.finish(b.pair(), fix_b);
    CHECK(ra.disagreed == 0);
    CHECK(rb.disagreed == 0);
    CHECK(ra.error_ns < 100);
    const auto off = [](std::uint64_t x, std::uint64_t y) {
        return static_cast<std::uint64_t>(
            std::llabs(static_cast<std::int64_t>(x) - static_cast<std::int64_t>(y)));
    };
    CHECK(off(fix_a.apply(stamp_a), instant) <= ra.error_ns);
    CHECK(off(fix_b.apply(stamp_b), instant) <= rb.error_ns);
    CHECK(off(fix_a.apply(stamp_a), fix_b.apply(stamp_b)) <= ra.error_ns + rb.error_ns);
}

TEST_CASE("clock: the provisional report bounds the uncorrected stamps of an agent that never "
          "reached its end",
          "[clock]") {
    // The worst honest windows: the start pair's time half a window late, the run pair's half a
    // window early (the rate the most wrong they allow).
    FakeClocks clocks;
    ClockPair start = clocks.pair();
    start.ns += start.window_ns / 2;
    clocks.now += 2'000'000;
    ClockPair run = clocks.pair();
    run.ns -= run.window_ns / 2;
    const auto calibration = TscCalibration::begin(start, run);
    REQUIRE(calibration);
    const ClockReport report = calibration->provisional_report();
    CHECK(report.source == ClockSource::tsc);
    CHECK(report.provisional == 1);
    CHECK(report.since_ns == run.ns);
    CHECK(report.tsc_khz > 2'990'000);
    CHECK(report.tsc_khz < 3'010'000);
    for (const std::uint64_t after : {0ull, 1'000'000ull, 1'000'000'000ull, 60'000'000'000ull}) {
        const std::uint64_t truth = clocks.now + after;
        const std::uint64_t stamp = calibration->provisional.to_ns(clocks.ticks_at(truth));
        const std::uint64_t off = static_cast<std::uint64_t>(
            std::llabs(static_cast<std::int64_t>(stamp) - static_cast<std::int64_t>(truth)));
        INFO("after " << after << " ns: off by " << off);
        CHECK(off <= clock_error_bound(report, stamp));
        // Not a bound by a mile either: within 3x of the error made.
        if (after >= 1'000'000'000) CHECK(clock_error_bound(report, stamp) < 3 * off);
    }
    // A final report is its error_ns at any time.
    ClockReport final_report = report;
    final_report.provisional = 0;
    CHECK(clock_error_bound(final_report, run.ns + 5'000'000'000) == report.error_ns);
}

TEST_CASE("clock: a provisional bound beyond 2^64 ns saturates", "[clock]") {
    // As in a damaged log: any rate, any distance in time.
    LogClock clock{};
    clock.provisional = 1;
    clock.error_ns_per_s = std::numeric_limits<std::uint32_t>::max();
    clock.since_ns = 1;
    const std::uint64_t most = std::numeric_limits<std::uint64_t>::max();
    CHECK(clock_error_bound(clock, most) == most);
    // Just past the sum's limit: error_ns plus a growth that alone fits.
    clock.error_ns = most - 10;
    CHECK(clock_error_bound(clock, 1'000'000'001) == most);
    // And below it, the sum as it is: 1 s at 2^32 - 1 ns/s.
    clock.error_ns = 5;
    CHECK(clock_error_bound(clock, 1'000'000'001) == 5 + std::uint64_t{clock.error_ns_per_s});
}

TEST_CASE("clock: a dead agent's log reads with its provisional bound at its latest time",
          "[clock]") {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ipch-test-clock-dead-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / "d.events").string();
    {
        EventRecorder recorder(path, 1, 16);
        LogClock report{};
        report.source = ClockSource::tsc;
        report.provisional = 1;
        report.error_ns = 50;
        report.error_ns_per_s = 20'000;
        report.since_ns = 1'000'000'000;
        recorder.set_clock_report(report);
        EventRecord event{};
        event.op_id = 1;
        event.kind = OpKind::hold;
        event.seq = 1;
        event.t_requested = 1'200'000'000;
        event.t_acquired = 1'250'000'000;
        event.t_released = 1'500'000'000; // 0.5 s after the TSC took over
        recorder.record(event);
        event.seq = 2;
        event.flags = event_flag::unreleased;
        event.t_requested = 1'600'000'000;
        event.t_acquired = 1'700'000'000;
        event.t_released = 0;
        recorder.record(event);
        // Dies here: no finish, no close.
    }
    const AgentHistory history = read_agent_log(path, 1);
    REQUIRE(history.events.size() == 2);
    CHECK(history.log_status == LogStatus::running);
    CHECK(history.clock.source == ClockSource::tsc);
    CHECK(history.clock.provisional == 1);
    CHECK(history.clock.error_ns == 50 + 14'000); // 0.7 s at 20 us/s
    CHECK(clock_tolerance_ns({history}) == 50 + 14'000);
    std::filesystem::remove_all(dir);
}

TEST_CASE("clock: on this machine an agent that dies after the run started leaves a log that "
          "says which clock its times came from and how far off they may be",
          "[clock]") {
    AgentClock clock(ClockChoice::automatic);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ipch-test-clock-crash-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / "c.events").string();
    std::uint64_t before = 0, after = 0;
    {
        EventRecorder recorder(path, 1, 16);
        clock.settle();
        recorder.set_clock_report(clock.start_run(recorder.committed()));
        before = monotonic_ns();
        EventRecord event{};
        event.op_id = 1;
        event.kind = OpKind::sleep;
        event.seq = 1;
        event.t_requested = now_ns();
        sleep_ns(20'000'000);
        event.t_released = now_ns();
        after = monotonic_ns();
        recorder.record(event);
        // Dies here: no finish, no close.
    }
    use_monotonic(); // what the agent's death would have ended
    const AgentHistory history = read_agent_log(path, 1);
    REQUIRE(history.events.size() == 1);
    const EventRecord& event = history.events[0];
#if defined(__x86_64__)
    INFO("fallback: " << to_string(history.clock.fallback));
    if (history.clock.source == ClockSource::tsc) {
        CHECK(history.clock.provisional == 1);
        CHECK(history.clock.error_ns > 0);
        CHECK(event.t_requested + history.clock.error_ns >= before);
        CHECK(event.t_released <= after + history.clock.error_ns);
    } else {
        CHECK(history.clock.fallback != ClockFallback::none);
    }
#else
    CHECK(history.clock.fallback == ClockFallback::not_invariant);
#endif
    std::filesystem::remove_all(dir);
}

TEST_CASE("clock: a TSC whose rate changed mid-run is reported as disagreeing", "[clock]") {
    FakeClocks clocks;
    const ClockPair start = clocks.pair();
    clocks.now += 2'000'000;
    const auto calibration = TscCalibration::begin(start, clocks.pair());
    REQUIRE(calibration);
    // From here the TSC runs 0.1 % faster.
    const std::uint64_t from_ns = clocks.now;
    const std::uint64_t from_ticks = clocks.ticks_at(from_ns);
    clocks.now += 1'000'000'000;
    ClockPair end = clocks.pair();
    end.ticks = from_ticks + static_cast<std::uint64_t>((end.ns - from_ns) * 3.003);
    TimeCorrection correction;
    const ClockReport report = calibration->finish(end, correction);
    CHECK(report.disagreed == 1);
    CHECK(report.drift_ns > 900'000);
    CHECK(report.error_ns >= static_cast<std::uint64_t>(report.drift_ns));
}

TEST_CASE("clock: the TSC is invariant only with constant_tsc and nonstop_tsc", "[clock]") {
    CHECK(tsc_is_invariant("processor\t: 0\nflags\t\t: fpu tsc constant_tsc rep_good nonstop_tsc "
                           "cpuid\nbogomips\t: 4400\n"));
    CHECK_FALSE(tsc_is_invariant("processor\t: 0\nflags\t\t: fpu tsc constant_tsc rep_good\n"));
    CHECK_FALSE(tsc_is_invariant("processor\t: 0\nflags\t\t: fpu nonstop_tsc\n"));
    // A flag's name inside another's is not the flag.
    CHECK_FALSE(tsc_is_invariant("processor\t: 0\nflags\t\t: xconstant_tsc nonstop_tscx\n"));
    CHECK_FALSE(tsc_is_invariant("processor\t: 0\n"));
}

TEST_CASE("clock: the recorder corrects the times of the records from the TSC's first on",
          "[clock]") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("ipch-test-clock-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = (dir / "a.events").string();
    {
        EventRecorder recorder(path, 1, 16);
        for (std::uint64_t i = 1; i <= 4; ++i) {
            EventRecord event{};
            event.op_id = 1;
            event.kind = OpKind::write;
            event.seq = i;
            event.t_requested = 1000 * i;
            event.t_acquired = 1000 * i + 100;
            event.t_released = i == 4 ? 0 : 1000 * i + 200; // 0: unreleased, left alone
            event.msg_writer_seq = 7'000;                   // not a time
            recorder.record(event);
        }
        // Scale by 2 about 1000: from the second record on.
        recorder.correct_times(1, TimeCorrection{1000, 2.0});
        LogClock report{};
        report.source = ClockSource::tsc;
        report.drift_ns = -42;
        report.error_ns = 17;
        recorder.set_clock_report(report);
        recorder.close(LogStatus::finished);
    }
    const AgentHistory history = read_agent_log(path, 1);
    REQUIRE(history.events.size() == 4);
    CHECK(history.events[0].t_requested == 1000); // before the TSC: as recorded
    CHECK(history.events[0].t_released == 1200);
    CHECK(history.events[1].t_requested == 3000); // 1000 + (2000 - 1000) * 2
    CHECK(history.events[1].t_acquired == 3200);
    CHECK(history.events[2].t_released == 1000 + 2200 * 2);
    CHECK(history.events[3].t_released == 0);
    CHECK(history.events[3].msg_writer_seq == 7'000);
    CHECK(history.clock.source == ClockSource::tsc);
    CHECK(history.clock.drift_ns == -42);
    CHECK(history.clock.error_ns == 17);
    std::filesystem::remove_all(dir);
}

TEST_CASE("clock: on this machine now_ns() stays within the stated error of CLOCK_MONOTONIC",
          "[clock]") {
    // The real calibration, as an agent runs it; where the TSC is not invariant it falls back,
    // which the report says.
    AgentClock clock(ClockChoice::automatic);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ipch-test-clock-real-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    EventRecorder recorder((dir / "r.events").string(), 1, 16);
    clock.settle();
    recorder.set_clock_report(clock.start_run(recorder.committed()));
    std::uint64_t worst_outside = 0;
    for (int i = 0; i < 1000; ++i) {
        // Preemption between the reads only widens the window the stamp must fall in.
        const std::uint64_t before = monotonic_ns();
        const std::uint64_t stamp = now_ns();
        const std::uint64_t after = monotonic_ns();
        if (stamp + 1'000'000 < before || stamp > after + 1'000'000) ++worst_outside;
    }
    // Within a millisecond now (the start calibration's rate, 2 ms old); the end's bound below.
    CHECK(worst_outside == 0);
    clock.finish(recorder);
    recorder.close(LogStatus::finished);
    const AgentHistory history = read_agent_log((dir / "r.events").string(), 1);
#if defined(__x86_64__)
    INFO("fallback: " << to_string(history.clock.fallback));
    if (history.clock.source == ClockSource::tsc) {
        CHECK(history.clock.tsc_khz > 50'000);
        CHECK(history.clock.error_ns < 10'000);
    } else {
        CHECK(history.clock.fallback != ClockFallback::none);
    }
#endif
    std::filesystem::remove_all(dir);
}

TEST_CASE("clock: a plan that asks for CLOCK_MONOTONIC gets it", "[clock]") {
    AgentClock clock(ClockChoice::monotonic);
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ipch-test-clock-mono-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    EventRecorder recorder((dir / "m.events").string(), 1, 16);
    recorder.set_clock_report(clock.start_run(recorder.committed()));
    CHECK_FALSE(clock_detail::tsc_active);
    clock.finish(recorder);
    recorder.close(LogStatus::finished);
    const AgentHistory history = read_agent_log((dir / "m.events").string(), 1);
    CHECK(history.clock.source == ClockSource::monotonic);
    CHECK(history.clock.fallback == ClockFallback::asked);
    CHECK(history.clock.error_ns == 0);
    std::filesystem::remove_all(dir);
}
