// What a lock-ownership timeline needs of a run, kept in its results: one lane per agent, each
// critical section's wait and hold with its lock-order stamp, the sections the checker's
// evidence names marked, crashes and violations as instants, and the wait and hold
// distributions. Built from the history once, so that the HTML and trace reports stay functions
// of the results. No I/O.
#pragma once

#include "check.hpp"
#include "history.hpp"
#include "metrics/histogram.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ipch {

// One critical section: waited from `requested` to `acquired`, held until `released`
// (CLOCK_MONOTONIC ns). A section the agent never left (it crashed holding the lock) is held up
// to the lane's last time, and `unreleased` says so.
struct TimelineSpan {
    std::uint32_t lane = 0; // index into Timeline::lanes
    std::uint64_t requested = 0;
    std::uint64_t acquired = 0;
    std::uint64_t released = 0;
    std::uint64_t stamp = 0;
    std::uint32_t op_id = 0;
    bool violation = false; // an event of some property's evidence
    bool unreleased = false;
};

// An instant on a lane: the agent crashed (or was killed), or an evidence event of a violation.
struct TimelineMark {
    enum class Kind { crash, violation };
    Kind kind = Kind::crash;
    std::uint32_t lane = 0;
    std::uint64_t time = 0;
    std::uint64_t stamp = 0; // 0 when the event has none
    std::string what;        // "crashed (signal 9)", "mutual-exclusion: two holders ..."
};

struct TimelineLane {
    std::uint32_t agent_id = 0;
    std::string name;
    AgentEnd end = AgentEnd::finished;
    std::uint64_t sections = 0; // every counted section, before decimation
    std::optional<std::uint64_t> wait_p50, wait_p99, wait_max;
};

struct Timeline {
    std::string backend;     // the mutex kind ("named_mutex"); empty when unknown
    std::uint64_t begin = 0; // the earliest time of any event
    std::uint64_t end = 0;   // the latest
    std::vector<TimelineLane> lanes;
    std::vector<TimelineSpan> spans; // agent by agent, in event order
    std::vector<TimelineMark> marks;
    std::uint64_t sections = 0; // every span before decimation
    // Decimation: 1 keeps every span; k > 1 keeps, of each k consecutive spans of a lane, the one
    // that waited longest (so pile-ups stay visible), plus every span marked as a violation.
    std::uint64_t keep_one_in = 1;
    LogHistogram wait; // every counted section's, not only the kept ones
    LogHistogram hold;
    std::optional<double> throughput; // sections per second
    std::optional<double> jain;       // fairness over the lock-sharing agents' sections
};

struct TimelineOptions {
    // Spans kept per case, beyond those marked as violations: a 1 M-event run's report stays
    // a few MB and renders in a browser in a second or two.
    std::size_t max_spans = 5000;
};

// The timeline of a checked history: `verdicts` are the checker's results, whose evidence marks
// spans and adds violation instants.
Timeline make_timeline(const History& history, const std::vector<PropertyResult>& verdicts,
                       const TimelineOptions& options = {});

} // namespace ipch
