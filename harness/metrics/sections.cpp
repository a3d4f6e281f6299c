// Counting critical sections, and how fast they came.
#include "metrics.hpp"

#include <algorithm>
#include <limits>

namespace ipch {

std::vector<std::uint64_t> sections_per_agent(const History& history) {
    std::vector<std::uint64_t> counts;
    for (const AgentHistory& agent : history.agents)
        counts.push_back(static_cast<std::uint64_t>(
            std::count_if(agent.events.begin(), agent.events.end(), is_counted_section)));
    return counts;
}

std::optional<double> throughput(const History& history) {
    std::uint64_t sections = 0;
    std::uint64_t first_acquire = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t last_release = 0;
    for (const AgentHistory& agent : history.agents) {
        for (const EventRecord& event : agent.events) {
            if (!is_counted_section(event)) continue;
            ++sections;
            first_acquire = std::min(first_acquire, event.t_acquired);
            last_release = std::max(last_release, event.t_released);
        }
    }
    if (sections == 0) return std::nullopt;
    // One section on a clock too coarse to see it last: count it as 1 ns rather than divide by
    // zero.
    const std::uint64_t span_ns =
        std::max<std::uint64_t>(last_release > first_acquire ? last_release - first_acquire : 0, 1);
    return static_cast<double>(sections) * 1e9 / static_cast<double>(span_ns);
}

} // namespace ipch
