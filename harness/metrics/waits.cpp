// Lock waits and their distribution. Exact for now: a sorted (nth_element) copy of every wait;
// a later HDR histogram bounds the memory for runs of millions of sections.
#include "metrics.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace ipch {

std::vector<std::uint64_t> lock_waits(const History& history) {
    std::vector<std::uint64_t> waits;
    for (const AgentHistory& agent : history.agents)
        for (const EventRecord& event : agent.events)
            if (is_counted_section(event))
                // Both times come from one process's CLOCK_MONOTONIC, acquired after requested;
                // a record that says otherwise is damaged, and waited for nothing we can see.
                waits.push_back(event.t_acquired >= event.t_requested
                                    ? event.t_acquired - event.t_requested
                                    : 0);
    return waits;
}

std::optional<std::uint64_t> percentile(std::vector<std::uint64_t> values, double p) {
    assert(p > 0 && p <= 100 && "callers pass a fixed percentile such as 99");
    if (values.empty()) return std::nullopt;
    // Nearest rank: the ceil(p/100 * n)-th smallest value, 1-based.
    const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
    const std::size_t index =
        std::min(values.size(), static_cast<std::size_t>(std::max(rank, 1.0))) - 1;
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(index);
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
}

std::optional<std::uint64_t> maximum(std::span<const std::uint64_t> values) {
    if (values.empty()) return std::nullopt;
    return *std::max_element(values.begin(), values.end());
}

} // namespace ipch
