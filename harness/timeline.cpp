#include "timeline.hpp"

#include "metrics.hpp"

#include <algorithm>
#include <set>
#include <utility>

namespace ipch {

namespace {

using EventKey = std::pair<std::uint32_t, std::size_t>; // lane, index in the agent's events

bool is_span(const EventRecord& event) {
    return is_counted_section(event) || ((event.flags & event_flag::critical_section) != 0 &&
                                         (event.flags & event_flag::unreleased) != 0);
}

// From `from` to `to`; none when a damaged record has them the wrong way round.
std::uint64_t span_ns(std::uint64_t from, std::uint64_t to) {
    return to >= from ? to - from : 0;
}

// Where an evidence event sits on its lane: inside the lock when it took it, else when it began.
std::uint64_t mark_time(const EventRecord& event) {
    return (event.flags & event_flag::critical_section) != 0 ? event.t_acquired : event.t_requested;
}

bool ended_abruptly(AgentEnd end) {
    return end == AgentEnd::crashed || end == AgentEnd::killed_at_timeout ||
           end == AgentEnd::killed_by_harness;
}

void widen(Timeline& timeline, std::uint64_t time) {
    if (time == 0) return; // a time the event does not have
    timeline.begin = timeline.begin == 0 ? time : std::min(timeline.begin, time);
    timeline.end = std::max(timeline.end, time);
}

// The timeline shows the lock's life: from the first request to the last release or instant,
// not the agents' opens and sleeps around it (with sections of microseconds after opens of
// milliseconds, every span would be a sliver at one end). Without a section, the events' frame.
void frame_on_sections(const History& history, Timeline& timeline) {
    Timeline sections;
    Timeline events;
    for (const AgentHistory& agent : history.agents)
        for (const EventRecord& event : agent.events) {
            widen(events, event.t_requested);
            widen(events, event.t_released);
            if (is_span(event)) {
                widen(sections, event.t_requested);
                widen(sections, event.t_acquired);
                widen(sections, event.t_released);
            }
        }
    const Timeline& framed = sections.begin != 0 ? sections : events;
    timeline.begin = framed.begin;
    timeline.end = framed.end;
}

// The violations' events, and an instant for each; the lane of agent_id is agent_id - 1.
std::set<EventKey> mark_evidence(const History& history,
                                 const std::vector<PropertyResult>& verdicts, Timeline& timeline) {
    std::set<EventKey> marked;
    for (const PropertyResult& property : verdicts) {
        if (property.verdict != Verdict::fail) continue;
        for (const Evidence& evidence : property.evidence)
            for (const EvidenceEvent& event : evidence.events) {
                if (event.agent_id == 0 || event.agent_id > history.agents.size()) continue;
                const std::uint32_t lane = event.agent_id - 1;
                marked.insert({lane, event.index});
                timeline.marks.push_back(TimelineMark{TimelineMark::Kind::violation, lane,
                                                      mark_time(event.event), event.event.stamp,
                                                      property.id + ": " + evidence.summary});
            }
    }
    return marked;
}

TimelineLane lane_of(const AgentHistory& agent) {
    TimelineLane lane{agent.agent_id, agent.name, agent.end, 0, {}, {}, {}};
    std::vector<std::uint64_t> waits;
    for (const EventRecord& event : agent.events)
        if (is_counted_section(event))
            waits.push_back(span_ns(event.t_requested, event.t_acquired));
    lane.sections = waits.size();
    lane.wait_p50 = percentile(waits, 50);
    lane.wait_p99 = percentile(waits, 99);
    lane.wait_max = maximum(waits);
    return lane;
}

// Keeps, of each `keep_one_in` consecutive spans of the lane, the longest wait, and every marked
// span whatever the window.
void add_spans(const AgentHistory& agent, std::uint32_t lane, const std::set<EventKey>& marked,
               Timeline& timeline) {
    std::optional<TimelineSpan> best; // the window's longest wait so far
    std::uint64_t in_window = 0;
    for (std::size_t i = 0; i < agent.events.size(); ++i) {
        const EventRecord& event = agent.events[i];
        if (!is_span(event)) continue;
        const bool unreleased = (event.flags & event_flag::unreleased) != 0;
        TimelineSpan span{
            lane,        event.t_requested, event.t_acquired,           event.t_released,
            event.stamp, event.op_id,       marked.contains({lane, i}), unreleased};
        ++timeline.sections;
        if (!unreleased) {
            timeline.wait.record(span_ns(event.t_requested, event.t_acquired));
            timeline.hold.record(span_ns(event.t_acquired, event.t_released));
        }
        if (span.violation || unreleased || timeline.keep_one_in == 1) {
            timeline.spans.push_back(span);
            continue;
        }
        if (!best ||
            span_ns(span.requested, span.acquired) > span_ns(best->requested, best->acquired))
            best = span;
        if (++in_window == timeline.keep_one_in) {
            timeline.spans.push_back(*best);
            best.reset();
            in_window = 0;
        }
    }
    if (best) timeline.spans.push_back(*best);
}

// A section never left is held until another agent next took the lock, or to the history's end.
void close_unreleased(Timeline& timeline) {
    for (TimelineSpan& span : timeline.spans) {
        if (!span.unreleased) continue;
        span.released = timeline.end;
        for (const TimelineSpan& other : timeline.spans)
            if (other.lane != span.lane && other.acquired > span.acquired)
                span.released = std::min(span.released, other.acquired);
    }
}

void add_crashes(const History& history, Timeline& timeline) {
    for (std::uint32_t lane = 0; lane < history.agents.size(); ++lane) {
        const AgentHistory& agent = history.agents[lane];
        if (!ended_abruptly(agent.end)) continue;
        std::uint64_t last = 0;
        for (const EventRecord& event : agent.events)
            last = std::max({last, event.t_requested, event.t_acquired, event.t_released});
        std::string what = std::string(to_string(agent.end));
        if (agent.signal != 0) what += " (signal " + std::to_string(agent.signal) + ")";
        timeline.marks.push_back(TimelineMark{TimelineMark::Kind::crash, lane,
                                              last != 0 ? last : timeline.end, 0, what});
    }
}

std::uint64_t counted_sections(const History& history) {
    std::uint64_t count = 0;
    for (const AgentHistory& agent : history.agents)
        count += std::count_if(agent.events.begin(), agent.events.end(), is_span);
    return count;
}

} // namespace

Timeline make_timeline(const History& history, const std::vector<PropertyResult>& verdicts,
                       const TimelineOptions& options) {
    Timeline timeline;
    if (history.mutex_kind) timeline.backend = std::string(to_string(*history.mutex_kind));
    const std::uint64_t total = counted_sections(history);
    const std::uint64_t budget = std::max<std::uint64_t>(options.max_spans, 1);
    timeline.keep_one_in = total <= budget ? 1 : (total + budget - 1) / budget;
    const std::set<EventKey> marked = mark_evidence(history, verdicts, timeline);
    for (std::uint32_t lane = 0; lane < history.agents.size(); ++lane) {
        timeline.lanes.push_back(lane_of(history.agents[lane]));
        add_spans(history.agents[lane], lane, marked, timeline);
    }
    frame_on_sections(history, timeline);
    close_unreleased(timeline);
    add_crashes(history, timeline);
    for (const TimelineMark& mark : timeline.marks)
        widen(timeline, mark.time);
    timeline.throughput = throughput(history);
    std::vector<std::uint64_t> shared;
    const std::vector<std::uint64_t> per_agent = sections_per_agent(history);
    for (std::size_t i = 0; i < history.agents.size() && i < per_agent.size(); ++i)
        if (history.agents[i].shares_lock) shared.push_back(per_agent[i]);
    timeline.jain = jain_index(shared);
    return timeline;
}

} // namespace ipch
