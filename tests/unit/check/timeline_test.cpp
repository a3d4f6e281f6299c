// The timeline kept in the results for the HTML and trace reports: lanes, spans, the evidence's
// marks, crashes, and decimation of large histories.
#include "history_builder.hpp"
#include "timeline.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

namespace {

Event hold(std::uint64_t seq, std::uint64_t stamp, std::uint64_t requested, std::uint64_t acquired,
           std::uint64_t released) {
    Event event(OpKind::hold, op_hold, seq);
    event.section(stamp, acquired, released).requested(requested);
    return event;
}

// alice holds 100..200 and bob 150..250: the two overlap, a mutual-exclusion failure.
History overlapping() {
    return history_of({agent(1, "alice", {hold(1, 1, 90, 100, 200)}, labels()),
                       agent(2, "bob", {hold(1, 2, 120, 150, 250)}, labels())});
}

// `count` sections of one agent, section i waiting `waits(i)` ns.
History many_sections(std::uint64_t count, std::uint64_t (*waits)(std::uint64_t)) {
    std::vector<EventRecord> events;
    for (std::uint64_t i = 0; i < count; ++i) {
        const std::uint64_t start = 1000 * (i + 1);
        events.push_back(hold(i + 1, i + 1, start, start + waits(i), start + 500));
    }
    return history_of({agent(1, "solo", events, labels())});
}

} // namespace

TEST_CASE("a timeline has a lane per agent and a span per section", "[timeline]") {
    const History history = overlapping();
    const Timeline timeline = make_timeline(history, check_history(history));
    REQUIRE(timeline.lanes.size() == 2);
    CHECK(timeline.lanes[0].name == "alice");
    CHECK(timeline.lanes[1].name == "bob");
    REQUIRE(timeline.spans.size() == 2);
    CHECK(timeline.spans[1].lane == 1);
    CHECK(timeline.spans[1].requested == 120);
    CHECK(timeline.spans[1].acquired == 150);
    CHECK(timeline.spans[1].released == 250);
    CHECK(timeline.spans[1].stamp == 2);
    CHECK(timeline.begin == 90);
    CHECK(timeline.end == 250);
    CHECK(timeline.sections == 2);
    CHECK(timeline.keep_one_in == 1);
    CHECK(timeline.wait.count() == 2);
    CHECK(timeline.wait.max() == 30);
    CHECK(timeline.lanes[1].wait_max == 30);
}

TEST_CASE("the evidence of a failed property marks its spans and adds instants", "[timeline]") {
    const History history = overlapping();
    const Timeline timeline = make_timeline(history, check_history(history));
    CHECK(std::all_of(timeline.spans.begin(), timeline.spans.end(),
                      [](const TimelineSpan& span) { return span.violation; }));
    const bool mutual_exclusion_marked =
        std::any_of(timeline.marks.begin(), timeline.marks.end(), [](const TimelineMark& mark) {
            return mark.kind == TimelineMark::Kind::violation &&
                   mark.what.starts_with("mutual-exclusion: ") && mark.lane == 1 &&
                   mark.time == 150 && mark.stamp == 2;
        });
    CHECK(mutual_exclusion_marked);
}

TEST_CASE("a clean history marks nothing", "[timeline]") {
    const History history = history_of({agent(1, "alice", {hold(1, 1, 90, 100, 200)}, labels()),
                                        agent(2, "bob", {hold(1, 2, 190, 210, 250)}, labels())});
    const Timeline timeline = make_timeline(history, check_history(history));
    CHECK(timeline.marks.empty());
    CHECK(std::none_of(timeline.spans.begin(), timeline.spans.end(),
                       [](const TimelineSpan& span) { return span.violation; }));
    CHECK(timeline.jain == Approx(1.0));
}

TEST_CASE("a crash is an instant, and a section never left is held until the next acquire",
          "[timeline]") {
    Event stuck(OpKind::crash, op_crash, 2);
    stuck.unreleased(2, 300);
    const History history =
        history_of({ended(agent(1, "alice", {hold(1, 1, 90, 100, 200), stuck}, labels()),
                          AgentEnd::crashed, 9),
                    agent(2, "bob", {hold(1, 3, 250, 700, 800)}, labels())});
    const Timeline timeline = make_timeline(history, {});
    const auto crash =
        std::find_if(timeline.marks.begin(), timeline.marks.end(),
                     [](const TimelineMark& m) { return m.kind == TimelineMark::Kind::crash; });
    REQUIRE(crash != timeline.marks.end());
    CHECK(crash->lane == 0);
    CHECK(crash->time == 300);
    CHECK(crash->what == "crashed (signal 9)");
    const auto held = std::find_if(timeline.spans.begin(), timeline.spans.end(),
                                   [](const TimelineSpan& span) { return span.unreleased; });
    REQUIRE(held != timeline.spans.end());
    CHECK(held->released == 700);
}

TEST_CASE("a large history is decimated to the longest wait of each window", "[timeline]") {
    // Section 7 of every 10 waits longest; 1000 sections into at most 100 spans.
    const History history = many_sections(
        1000, [](std::uint64_t i) -> std::uint64_t { return i % 10 == 7 ? 400 : 10; });
    const Timeline timeline = make_timeline(history, {}, TimelineOptions{100});
    CHECK(timeline.sections == 1000);
    CHECK(timeline.keep_one_in == 10);
    REQUIRE(timeline.spans.size() == 100);
    CHECK(std::all_of(timeline.spans.begin(), timeline.spans.end(), [](const TimelineSpan& span) {
        return span.acquired - span.requested == 400;
    }));
    // The distributions count every section, not only the kept ones.
    CHECK(timeline.wait.count() == 1000);
    CHECK(timeline.lanes[0].sections == 1000);
}

TEST_CASE("decimation does not take a damaged section's backward wait for the longest",
          "[timeline]") {
    // Section 0 of every 10 (the first of its window) was recorded acquired before it was requested
    // (a damaged record): its wait is none, not 2^64 - 100; section 7 of every 10 waits longest.
    const History history = many_sections(1000, [](std::uint64_t i) -> std::uint64_t {
        return i % 10 == 0 ? std::uint64_t(0) - 100 : i % 10 == 7 ? 400 : 10;
    });
    const Timeline timeline = make_timeline(history, {}, TimelineOptions{100});
    REQUIRE(timeline.spans.size() == 100);
    CHECK(std::all_of(timeline.spans.begin(), timeline.spans.end(), [](const TimelineSpan& span) {
        return span.acquired - span.requested == 400;
    }));
}

TEST_CASE("decimation keeps every violation's span", "[timeline]") {
    std::vector<EventRecord> events;
    for (std::uint64_t i = 0; i < 50; ++i)
        events.push_back(hold(i + 1, i + 1, 1000 * (i + 1), 1000 * (i + 1), 1000 * (i + 1) + 10));
    History history = history_of({agent(1, "solo", events, labels())});
    std::vector<PropertyResult> verdicts(1);
    verdicts[0].id = "made-up";
    verdicts[0].verdict = Verdict::fail;
    verdicts[0].evidence.push_back(
        Evidence{"this one", {EvidenceEvent{1, "solo", "", 33, events[33]}}});
    const Timeline timeline = make_timeline(history, verdicts, TimelineOptions{5});
    CHECK(timeline.keep_one_in == 10);
    const auto marked = std::find_if(timeline.spans.begin(), timeline.spans.end(),
                                     [](const TimelineSpan& span) { return span.violation; });
    REQUIRE(marked != timeline.spans.end());
    CHECK(marked->stamp == 34);
    CHECK(timeline.spans.size() == 6); // five windows' longest waits and the marked one
}

TEST_CASE("a timeline is framed on the lock's sections, not the opens around them", "[timeline]") {
    Event open(OpKind::open, 1, 1);
    open.requested(10);
    const History history = history_of(
        {agent(1, "alice", {open, hold(2, 1, 1000, 1000, 1100)}, labels()),
         agent(2, "bob", {hold(1, 2, 1050, 1100, 1200), Event(OpKind::sleep, 6, 2)}, labels())});
    const Timeline timeline = make_timeline(history, {});
    CHECK(timeline.begin == 1000);
    CHECK(timeline.end == 1200);
}
