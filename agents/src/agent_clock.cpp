#include "agent_clock.hpp"

#include "ipch/tsc_invariant.hpp"

namespace ipch {

namespace {

ClockPair read_now_pair() {
    return read_pair(read_ticks, monotonic_ns);
}

} // namespace

AgentClock::AgentClock(ClockChoice choice) {
    if (choice == ClockChoice::monotonic)
        fallback_ = ClockFallback::asked;
    else if (!tsc_is_invariant_here())
        fallback_ = ClockFallback::not_invariant;
    else
        start_ = read_now_pair();
}

void AgentClock::settle() const {
    if (fallback_ != ClockFallback::none) return;
    const std::uint64_t ready = start_.ns + TscCalibration::min_calibration_ns;
    if (const std::uint64_t now = monotonic_ns(); now < ready) sleep_ns(ready - now);
}

ClockReport AgentClock::start_run(std::uint64_t next_record) {
    if (fallback_ == ClockFallback::none) {
        settle(); // in case the barrier came sooner
        calibration_ = TscCalibration::begin(start_, read_now_pair());
        if (!calibration_) fallback_ = ClockFallback::calibration;
    }
    if (!calibration_) {
        ClockReport report{};
        report.fallback = fallback_;
        return report;
    }
    first_tsc_record_ = next_record;
    use_tsc(calibration_->provisional);
    return calibration_->provisional_report();
}

void AgentClock::finish(EventRecorder& recorder) {
    use_monotonic();
    ClockReport report{};
    report.fallback = fallback_;
    if (calibration_) {
        TimeCorrection correction;
        report = calibration_->finish(read_now_pair(), correction);
        recorder.correct_times(first_tsc_record_, correction);
        calibration_.reset(); // corrected once
    }
    recorder.set_clock_report(report);
}

} // namespace ipch
