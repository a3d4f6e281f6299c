// A case's figures from its history: every measured section's wait and hold, the hand-offs
// between sections in lock order, and how evenly the agents got the lock.
#include "metrics.hpp"
#include "stress/stress.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace ipch::stress {

namespace {

struct Section {
    std::uint64_t stamp;
    std::uint64_t acquired;
    std::uint64_t released;
    std::uint32_t agent_id;
};

// Times come from one CLOCK_MONOTONIC; a later time below an earlier one is a damaged record,
// counted as no time rather than as 2^64 ns.
std::uint64_t elapsed(std::uint64_t from, std::uint64_t to) {
    return to >= from ? to - from : 0;
}

bool is_measured_op(const EventRecord& event, const std::vector<std::uint32_t>& ids) {
    return std::find(ids.begin(), ids.end(), event.op_id) != ids.end();
}

bool is_tally(const EventRecord& event) {
    return (event.flags & event_flag::tally) != 0;
}

// Hand-offs and runs follow the lock's own order. Two sections whose stamps are not consecutive
// had a section between them that is not measured (a warmup's, at the border): no hand-off of
// theirs is counted, and a run stops there.
void measure_lock_order(std::vector<Section>& sections, CaseFigures& figures) {
    std::sort(sections.begin(), sections.end(),
              [](const Section& a, const Section& b) { return a.stamp < b.stamp; });
    std::uint64_t run = 0;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const bool follows = i > 0 && sections[i].stamp == sections[i - 1].stamp + 1;
        if (follows)
            figures.handoff.record(elapsed(sections[i - 1].released, sections[i].acquired));
        run = follows && sections[i].agent_id == sections[i - 1].agent_id ? run + 1 : 1;
        if (run > figures.longest_run) {
            figures.longest_run = run;
            figures.longest_run_agent = sections[i].agent_id;
        }
    }
}

} // namespace

CaseFigures measure(const History& history,
                    const std::vector<std::vector<std::uint32_t>>& measured) {
    CaseFigures figures;
    std::vector<Section> sections;
    std::uint64_t first_acquire = std::numeric_limits<std::uint64_t>::max();
    std::uint64_t last_release = 0;
    bool any_tally = false;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const AgentHistory& agent = history.agents[a];
        std::uint64_t count = 0;
        for (const EventRecord& event : agent.events) {
            any_tally = any_tally || is_tally(event); // the warmup's too
            if (a >= measured.size() || !is_measured_op(event, measured[a])) continue;
            if (is_tally(event)) {
                // Sampled timing: sections that ran unstamped, counted; the tally is written
                // after the last of them released the lock, so its time ends the span.
                count += event.msg_writer_seq;
                last_release = std::max(last_release, event.t_released);
                continue;
            }
            if (!is_counted_section(event)) continue;
            ++count;
            ++figures.stamped;
            const std::uint64_t wait = elapsed(event.t_requested, event.t_acquired);
            figures.wait.record(wait);
            figures.hold.record(elapsed(event.t_acquired, event.t_released));
            if (figures.longest_wait_agent == 0 || wait > figures.longest_wait_ns) {
                figures.longest_wait_ns = wait;
                figures.longest_wait_agent = agent.agent_id;
            }
            first_acquire = std::min(first_acquire, event.t_acquired);
            last_release = std::max(last_release, event.t_released);
            sections.push_back({event.stamp, event.t_acquired, event.t_released, agent.agent_id});
        }
        // Every stress agent asks for the lock: one that never got it counts, as 0.
        figures.per_agent.push_back(count);
        figures.acquisitions += count;
    }
    figures.jain = jain_index(figures.per_agent);
    if (figures.acquisitions > 0) {
        // A clock too coarse to see the span: 1 ns rather than a division by zero.
        const std::uint64_t span_ns =
            std::max<std::uint64_t>(elapsed(first_acquire, last_release), 1);
        figures.measured_s = static_cast<double>(span_ns) / 1e9;
        figures.throughput = static_cast<double>(figures.acquisitions) / figures.measured_s;
    }
    // Unstamped sections take no lock-order stamp (the stamps stay contiguous for the checker):
    // two stamped sections in a row by their stamps may have had unstamped ones between them, so
    // hand-offs and runs, which need every section in lock order, are measured in full mode only.
    figures.lock_order_measured = !any_tally;
    if (figures.lock_order_measured) measure_lock_order(sections, figures);
    return figures;
}

} // namespace ipch::stress

namespace ipch::stress {

namespace {

// 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st
std::string ordinal(std::uint32_t n) {
    const char* suffix = "th";
    if (n % 100 < 11 || n % 100 > 13)
        suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return std::to_string(n) + suffix;
}

} // namespace

std::string timing_text(const StressConfig& config) {
    if (config.timing == TimingMode::full || config.sample_every <= 1)
        return "full, every op stamped";
    return "sampled, every " + ordinal(config.sample_every) + " op stamped";
}

} // namespace ipch::stress
