// Contention figures of a run: plain functions over a History, no I/O. A critical section is an
// event that carries one (event_flag::critical_section) and left it: a section cut short by a
// crash (event_flag::unreleased) has no end, so it has no place in rates or waits. An explicit
// lock..unlock section is its unlock's event, which carries the lock's request and acquire times.
#pragma once

#include "history.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ipch {

// Whether the event is a critical section the metrics count. Inline: checks call it per event.
inline bool is_counted_section(const EventRecord& event) {
    return (event.flags & event_flag::critical_section) != 0 &&
           (event.flags & event_flag::unreleased) == 0;
}

// Critical sections of each agent, in History::agents order.
std::vector<std::uint64_t> sections_per_agent(const History& history);

// Critical sections per second, all agents together: their count over the time from the first
// acquire to the last release. nullopt without a section.
std::optional<double> throughput(const History& history);

// Each section's lock wait, t_acquired - t_requested, in ns (agent by agent, in event order).
std::vector<std::uint64_t> lock_waits(const History& history);

// The nearest-rank percentile (0 < p <= 100) of `values`: the smallest value with at least p% of
// them at or below it. Exact; nullopt for no values. Takes its copy to partially sort it.
std::optional<std::uint64_t> percentile(std::vector<std::uint64_t> values, double p);

std::optional<std::uint64_t> maximum(std::span<const std::uint64_t> values);

// Jain's fairness index of per-agent counts, (sum x)^2 / (n * sum x^2): 1 when every agent got
// the same, 1/n when one got everything. nullopt for no agents or nothing counted.
std::optional<double> jain_index(std::span<const std::uint64_t> counts);

} // namespace ipch
