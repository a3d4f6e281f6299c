// A stress sweep's timing (docs/stress.md, "Timing modes") as text: one grammar for
// `ipc-harness stress --timing` and a `kind: stress` file's `timing`.
#pragma once

#include "ipch/agent_plan.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace ipch {

struct StressTiming {
    TimingMode mode = TimingMode::sampled;
    std::uint32_t sample_every = default_sample_every;
};

// `full`, `sampled` (every default_sample_every-th section stamped) or `sampled:K` (K from 1 to
// max_sample_every); nullopt if invalid. sampled:1 stamps every section: full timing, and says
// so (the JSON's config, the table).
std::optional<StressTiming> parse_stress_timing(std::string_view text);

} // namespace ipch
