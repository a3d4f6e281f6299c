// One agent's clock over its life: the start calibration when the agent starts, the switch to
// the TSC when its run starts, and at the end the correction of the TSC times it recorded and
// the report its log's header keeps (clock.hpp has the calibration itself).
#pragma once

#include "clock.hpp"
#include "event_recorder.hpp"
#include "ipch/agent_plan.hpp"

#include <optional>

namespace ipch {

class AgentClock {
  public:
    // Reads the start pair, when the plan allows the TSC and it is invariant here.
    explicit AgentClock(ClockChoice choice);
    AgentClock(const AgentClock&) = delete;
    AgentClock& operator=(const AgentClock&) = delete;
    ~AgentClock() { use_monotonic(); }

    // Before the start barrier: waits out the rest of the calibration's minimum time since the
    // start pair (nothing, usually: opening takes longer), so that the wait is not taken after
    // the barrier, where it would skew the agents' starts.
    void settle() const;

    // Before the first op: reads the run pair and makes now_ns() read the TSC; or, when the
    // calibration is not trustworthy, stays on CLOCK_MONOTONIC. Records from index
    // `next_record` on (the recorder's committed() now) are TSC times. Returns the report the
    // log must hold until finish() replaces it, the one a dead agent's log keeps: provisional
    // (its times uncorrected, and their bound) on the TSC, the fallback's reason otherwise.
    [[nodiscard]] ClockReport start_run(std::uint64_t next_record);

    // After the last op: back to CLOCK_MONOTONIC, the TSC times corrected to the whole run's
    // calibration, the report in the log's header. Call before recorder.close().
    void finish(EventRecorder& recorder);

  private:
    ClockFallback fallback_ = ClockFallback::none;
    ClockPair start_;
    std::optional<TscCalibration> calibration_;
    std::uint64_t first_tsc_record_ = 0;
};

} // namespace ipch
