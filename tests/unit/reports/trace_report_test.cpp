// The trace report: Chrome Trace Event JSON for Perfetto, from the results' timelines.
#include "report_fixtures.hpp"
#include "text.hpp"
#include "timeline_fixture.hpp"
#include "trace_report.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ipch;
using namespace ipch::test;
using Json = nlohmann::json;

namespace {

std::string trace_text(const RunResults& results) {
    std::ostringstream out;
    write_trace_report(out, results);
    return out.str();
}

std::vector<Json> events_named(const Json& trace, const std::string& name) {
    std::vector<Json> found;
    for (const Json& event : trace["traceEvents"])
        if (event["name"] == name) found.push_back(event);
    return found;
}

RunResults run_of(ScenarioResult scenario) {
    RunResults results;
    results.scenarios.push_back(std::move(scenario));
    return results;
}

} // namespace

TEST_CASE("the trace has a named process track per agent", "[trace]") {
    const Json trace = Json::parse(trace_text(run_of(timeline_case("two"))));
    const std::vector<Json> names = events_named(trace, "process_name");
    REQUIRE(names.size() == 2);
    CHECK(names[0]["args"]["name"] == "#1 two / alice");
    CHECK(names[1]["args"]["name"] == "#1 two / two");
    CHECK(names[0]["pid"] != names[1]["pid"]);
}

TEST_CASE("every span is a wait and a hold complete event carrying its stamp", "[trace]") {
    const Json trace = Json::parse(trace_text(run_of(timeline_case("two"))));
    const std::vector<Json> waits = events_named(trace, "wait");
    const std::vector<Json> holds = events_named(trace, "hold");
    REQUIRE(waits.size() == 2); // the third span acquired at once: no wait to draw
    REQUIRE(holds.size() == 3);
    // Microseconds from the earliest event (1000 ns).
    CHECK(waits[1]["ph"] == "X");
    CHECK(waits[1]["ts"] == Approx(0.2));
    CHECK(waits[1]["dur"] == Approx(0.6));
    CHECK(waits[1]["args"]["stamp"] == 2);
    CHECK(holds[1]["ts"] == Approx(0.8));
    CHECK(holds[1]["dur"] == Approx(0.7));
    CHECK(holds[1]["args"]["violation"] == true);
    CHECK_FALSE(holds[0]["args"].contains("violation"));
    CHECK(holds[2]["args"]["unreleased"] == true);
    CHECK(holds[0]["pid"] != holds[1]["pid"]);
}

TEST_CASE("crashes and violations are instants on their agent's track", "[trace]") {
    const Json trace = Json::parse(trace_text(run_of(timeline_case("two"))));
    const std::vector<Json> crashes = events_named(trace, "crash");
    const std::vector<Json> violations = events_named(trace, "violation");
    REQUIRE(crashes.size() == 1);
    REQUIRE(violations.size() == 1);
    CHECK(crashes[0]["ph"] == "i");
    CHECK(crashes[0]["ts"] == Approx(2.0));
    CHECK(crashes[0]["args"]["what"] == "crashed (signal 9)");
    CHECK(violations[0]["args"]["stamp"] == 2);
    CHECK(violations[0]["args"]["what"] == "mutual-exclusion: two");
    CHECK(violations[0]["pid"] == events_named(trace, "process_name")[1]["pid"]);
}

TEST_CASE("a case without a timeline adds no track, and each case gets its own", "[trace]") {
    RunResults results = run_of(timeline_case("one"));
    results.scenarios.push_back(ScenarioResult{}); // did not run
    results.scenarios.push_back(timeline_case("three"));
    const Json trace = Json::parse(trace_text(results));
    const std::vector<Json> names = events_named(trace, "process_name");
    REQUIRE(names.size() == 4);
    CHECK(names[2]["args"]["name"] == "#3 three / alice");
    CHECK(names[2]["pid"] == 3);
}

TEST_CASE("hostile names survive the trace intact and inert", "[trace][hostile]") {
    const std::string text = trace_text(run_of(timeline_case(hostile)));
    CHECK(is_valid_utf8(text));
    const Json trace = Json::parse(text); // throws on a broken document
    const std::vector<Json> names = events_named(trace, "process_name");
    REQUIRE(names.size() == 2);
    // Markup and quotes as they were; invalid UTF-8 as \xNN (text.hpp); controls escaped by JSON.
    CHECK(names[1]["args"]["name"] == "#1 " + json_text(hostile) + " / " + json_text(hostile));
    CHECK(events_named(trace, "violation")[0]["args"]["what"] ==
          "mutual-exclusion: " + json_text(hostile));
    // No raw control character outside JSON's escapes.
    const auto raw_controls = std::count_if(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 && c != '\n';
    });
    CHECK(raw_controls == 0);
}
