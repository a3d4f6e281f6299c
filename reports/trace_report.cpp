#include "trace_report.hpp"

#include "text.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ipch {

namespace {

using Json = nlohmann::ordered_json;

// Events are written one by one, not gathered into one document: a trace of many large cases
// would otherwise be held in memory twice.
class TraceWriter {
  public:
    TraceWriter(std::ostream& out, std::uint64_t origin_ns) : out_(out), origin_ns_(origin_ns) {
        out_ << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
    }
    void event(const Json& event) {
        out_ << (first_ ? "" : ",\n") << event.dump();
        first_ = false;
    }
    void finish() { out_ << "\n]}\n"; }
    // Microseconds, the format's unit, from the run's earliest event; ns kept as the fraction.
    double micros(std::uint64_t ns) const {
        return static_cast<double>(ns - std::min(ns, origin_ns_)) / 1000.0;
    }

  private:
    std::ostream& out_;
    std::uint64_t origin_ns_;
    bool first_ = true;
};

std::uint64_t earliest(const RunResults& results) {
    std::uint64_t origin = std::numeric_limits<std::uint64_t>::max();
    for (const ScenarioResult& scenario : results.scenarios)
        if (scenario.timeline && scenario.timeline->begin != 0)
            origin = std::min(origin, scenario.timeline->begin);
    return origin == std::numeric_limits<std::uint64_t>::max() ? 0 : origin;
}

Json metadata(const char* name, int pid, Json args) {
    return Json{{"name", name}, {"ph", "M"}, {"pid", pid}, {"tid", 1}, {"args", std::move(args)}};
}

Json complete(const char* name, const TraceWriter& trace, int pid, std::uint64_t from,
              std::uint64_t to, Json args) {
    return Json{{"name", name},
                {"cat", "lock"},
                {"ph", "X"},
                {"ts", trace.micros(from)},
                {"dur", static_cast<double>(to - std::min(to, from)) / 1000.0},
                {"pid", pid},
                {"tid", 1},
                {"args", std::move(args)}};
}

void write_span(TraceWriter& trace, int pid, const TimelineSpan& span) {
    const Json args{{"stamp", span.stamp}, {"op_id", span.op_id}};
    if (span.acquired > span.requested)
        trace.event(complete("wait", trace, pid, span.requested, span.acquired, args));
    Json hold = complete("hold", trace, pid, span.acquired, span.released, args);
    if (span.violation) {
        hold["args"]["violation"] = true;
        hold["cname"] = "terrible"; // chrome://tracing's reserved colour for bad news
    }
    if (span.unreleased) hold["args"]["unreleased"] = true;
    trace.event(hold);
}

void write_mark(TraceWriter& trace, int pid, const TimelineMark& mark) {
    const bool crash = mark.kind == TimelineMark::Kind::crash;
    Json args{{"what", json_text(mark.what)}};
    if (mark.stamp != 0) args["stamp"] = mark.stamp;
    trace.event(Json{{"name", crash ? "crash" : "violation"},
                     {"cat", crash ? "agent" : "check"},
                     {"ph", "i"},
                     {"s", "p"}, // drawn across the agent's whole track
                     {"ts", trace.micros(mark.time)},
                     {"pid", pid},
                     {"tid", 1},
                     {"args", std::move(args)}});
}

// The case's agents are processes first_pid, first_pid + 1, ... in lane order.
void write_case(TraceWriter& trace, const ScenarioResult& scenario, std::size_t number,
                int first_pid) {
    const Timeline& timeline = *scenario.timeline;
    for (std::size_t lane = 0; lane < timeline.lanes.size(); ++lane) {
        const int pid = first_pid + static_cast<int>(lane);
        const std::string name =
            "#" + std::to_string(number) + " " + scenario.name + " / " + timeline.lanes[lane].name;
        trace.event(metadata("process_name", pid, Json{{"name", json_text(name)}}));
        trace.event(metadata("process_sort_index", pid, Json{{"sort_index", pid}}));
        trace.event(metadata("thread_name", pid, Json{{"name", "lock"}}));
    }
    for (const TimelineSpan& span : timeline.spans)
        write_span(trace, first_pid + static_cast<int>(span.lane), span);
    for (const TimelineMark& mark : timeline.marks)
        write_mark(trace, first_pid + static_cast<int>(mark.lane), mark);
}

} // namespace

void write_trace_report(std::ostream& out, const RunResults& results) {
    TraceWriter trace(out, earliest(results));
    int next_pid = 1;
    for (std::size_t i = 0; i < results.scenarios.size(); ++i) {
        const ScenarioResult& scenario = results.scenarios[i];
        if (!scenario.timeline) continue;
        write_case(trace, scenario, i + 1, next_pid);
        next_pid += static_cast<int>(scenario.timeline->lanes.size());
    }
    trace.finish();
}

} // namespace ipch
