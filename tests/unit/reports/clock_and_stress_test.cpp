// Every report shows each case's clock (source, reason, error bound) and a `kind: stress` case's
// figures; a case without them (a file that did not load, a run that could not start) shows none.
#include "console_report.hpp"
#include "json_report.hpp"
#include "junit_report.hpp"
#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ipch;

namespace {

CaseClock tsc_clock() {
    CaseClock clock;
    clock.tsc_agents = 2;
    clock.max_drift_ns = -226;
    clock.max_error_ns = 93;
    clock.tsc_khz = 2'100'000;
    return clock;
}

CaseClock monotonic_clock(const std::string& fallback) {
    CaseClock clock;
    clock.monotonic_agents = 1;
    clock.fallback = fallback;
    return clock;
}

StressSummary stress_summary() {
    StressSummary stress;
    stress.backend = "spin";
    stress.agents = 2;
    stress.repeat = 3;
    stress.timing = "sampled, every 64th op stamped";
    stress.acquisitions = 1'234'567;
    stress.stamped = 19'290;
    stress.per_agent = {600'000, 634'567};
    stress.throughput_per_s = 6'170'000;
    stress.jain_index = 0.9994;
    stress.wait = DistributionSummary{19'290, 120, 450, 3'210, 20'100, 1'510'000};
    stress.longest_wait_ns = 1'510'000;
    return stress;
}

// sample_results() with a clock on its first scenario and a stress case's figures on it.
RunResults results_with(const CaseClock& clock, bool stress) {
    RunResults results = test::sample_results();
    results.scenarios.front().clock = clock;
    if (stress) results.scenarios.front().stress = stress_summary();
    return results;
}

std::string console(const RunResults& results, bool verbose) {
    std::ostringstream out;
    write_console_report(out, results, ConsoleOptions{verbose, false, false});
    return out.str();
}

nlohmann::json json_of(const RunResults& results) {
    std::ostringstream out;
    write_json_report(out, results);
    return nlohmann::json::parse(out.str());
}

std::string junit(const RunResults& results) {
    std::ostringstream out;
    write_junit_report(out, results);
    return out.str();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("clock summary: which clock, why, and the error bound", "[clock]") {
    CHECK(clock_summary(tsc_clock()) == "tsc (invariant TSC calibrated to CLOCK_MONOTONIC; drift "
                                        "-226 ns corrected; error <= 93 ns)");
    CHECK(clock_summary(monotonic_clock("asked")) ==
          "monotonic (CLOCK_MONOTONIC asked for (--clock monotonic); error <= 0 ns)");
    CHECK(contains(clock_reason(monotonic_clock("not-invariant")), "not invariant"));
    CHECK(contains(clock_reason(monotonic_clock("calibration")), "calibration"));
    CHECK(contains(clock_reason(monotonic_clock("")), "no TSC report"));
    CaseClock mixed = tsc_clock();
    add_clock(mixed, monotonic_clock("calibration"));
    mixed.disagreed = true;
    CHECK(clock_summary(mixed) ==
          "tsc+monotonic (invariant TSC calibrated to CLOCK_MONOTONIC; monotonic: the TSC's "
          "calibration was not trustworthy (interrupted reads or an implausible rate); drift -226 "
          "ns corrected; calibrations DISAGREED; error <= 93 ns)");
}

TEST_CASE("JSON report: each case's clock and a stress case's figures", "[clock][json]") {
    const nlohmann::json with = json_of(results_with(tsc_clock(), true));
    const nlohmann::json& first = with.at("scenarios").at(0);
    CHECK(first.at("clock").at("source") == "tsc");
    CHECK(first.at("clock").at("reason") == "invariant TSC calibrated to CLOCK_MONOTONIC");
    CHECK(first.at("clock").at("max_error_ns") == 93);
    CHECK(first.at("clock").at("max_drift_ns") == -226);
    CHECK(first.at("clock").at("fallback").is_null());
    CHECK(first.at("stress").at("acquisitions") == 1'234'567);
    CHECK(first.at("stress").at("wait").at("p99_ns") == 3'210);
    CHECK(first.at("stress").at("hold").is_null());
    CHECK(first.at("stress").at("longest_run").is_null());
    CHECK(first.at("stress").at("per_agent") == nlohmann::json::array({600'000, 634'567}));
    // The cases without them say null, not a made-up clock.
    CHECK(with.at("scenarios").at(1).at("clock").is_null());
    CHECK(with.at("scenarios").at(1).at("stress").is_null());

    const nlohmann::json fallback = json_of(results_with(monotonic_clock("not-invariant"), false));
    CHECK(fallback.at("scenarios").at(0).at("clock").at("source") == "monotonic");
    CHECK(fallback.at("scenarios").at(0).at("clock").at("fallback") == "not-invariant");
    CHECK(fallback.at("scenarios").at(0).at("stress").is_null());
}

TEST_CASE("console report: the clock on each case's line, its reason with -v", "[clock][console]") {
    const RunResults results = results_with(tsc_clock(), true);
    const std::string plain = console(results, false);
    CHECK(contains(plain, "clock tsc error <= 93 ns)\n"));
    CHECK(contains(plain, "  stress: 1234567 acquisitions, 6.17M/s, wait p50 120ns p99 3.21us max "
                          "1.51ms, jain 0.999 (sampled, every 64th op stamped)\n"));
    CHECK_FALSE(contains(plain, "invariant TSC"));
    CHECK(contains(console(results, true), "  clock: " + clock_summary(tsc_clock()) + "\n"));
    // Without a clock (the fixtures' other cases) nothing is said about one.
    CHECK_FALSE(contains(console(test::sample_results(), true), "clock"));
}

TEST_CASE("JUnit report: the clock and a stress case's figures as suite properties",
          "[clock][junit]") {
    const std::string xml = junit(results_with(monotonic_clock("asked"), true));
    CHECK(contains(xml, R"(<property name="clock" value="monotonic" />)"));
    CHECK(contains(xml, R"(<property name="clock.error_ns" value="0" />)"));
    CHECK(contains(xml, R"(<property name="stress.throughput_per_s" value="6170000" />)"));
    CHECK(contains(xml, R"(<property name="stress.wait_p99_ns" value="3210" />)"));
    CHECK_FALSE(contains(junit(test::sample_results()), R"(name="clock")"));
}
