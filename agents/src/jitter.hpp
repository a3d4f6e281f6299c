// The agent's random choices (sleep jitter, whether a seeded fault fires): a small PRNG seeded from
// the plan's per-agent seed, so a run's seed fixes every duration drawn. SplitMix64 and our own
// range reduction, not <random>'s distributions, whose results differ between standard libraries.
#pragma once

#include <cstdint>

namespace ipch {

class Jitter {
  public:
    explicit Jitter(std::uint64_t seed) : state_(seed) {}

    // A value drawn uniformly from [min, max] (min when max <= min).
    std::uint64_t draw(std::uint64_t min, std::uint64_t max);

    // True with `probability`: 0 never and 1 always, both without a draw.
    bool chance(double probability);

  private:
    std::uint64_t next();

    std::uint64_t state_;
};

} // namespace ipch
