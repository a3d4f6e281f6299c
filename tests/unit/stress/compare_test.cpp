// compare's rule on samples built by hand: a change counts only beyond the threshold, with every
// repeat of NEW beyond every repeat of OLD.
#include "stress/compare.hpp"

#include <catch2/catch.hpp>
#include <sstream>

using namespace ipch::stress;

namespace {

CaseSample sample(double throughput, double wait_p99, std::string mutual_exclusion = "pass",
                  std::uint64_t hold_ns = 0) {
    CaseSample s;
    s.backend = "named_mutex";
    s.mapping = "shm";
    s.agents = 2;
    s.hold_ns = hold_ns;
    s.payload_bytes = 64;
    s.outcome = mutual_exclusion == "fail" ? "fail" : "ok";
    s.throughput = throughput;
    s.wait_p99_ns = wait_p99;
    s.verdicts["mutual-exclusion"] = std::move(mutual_exclusion);
    return s;
}

const FigureChange& figure(const Comparison& comparison, const std::string& name) {
    REQUIRE(comparison.cases.size() == 1);
    for (const FigureChange& change : comparison.cases[0].figures)
        if (change.figure == name) return change;
    FAIL("no figure " << name);
    throw;
}

} // namespace

TEST_CASE("compare: a drop beyond the threshold with no repeats is a regression") {
    const Comparison c = compare_samples({sample(1000, 500)}, {sample(850, 500)}, 10);
    const FigureChange& throughput = figure(c, "throughput");
    CHECK(throughput.percent == Approx(-15));
    CHECK(throughput.counts);
    CHECK(throughput.regression);
    CHECK_FALSE(figure(c, "wait p99").counts);
    CHECK(c.regression());
}

TEST_CASE("compare: within the threshold is no change") {
    const Comparison c = compare_samples({sample(1000, 500)}, {sample(950, 540)}, 10);
    CHECK_FALSE(figure(c, "throughput").counts);
    CHECK_FALSE(figure(c, "wait p99").counts);
    CHECK_FALSE(c.regression());
}

TEST_CASE("compare: beyond the threshold but within the repeats' spread is noise") {
    // Old medians 1000 with spread 700..1300 (600); new median 800: -20 %, yet within 600.
    const Comparison c =
        compare_samples({sample(700, 500), sample(1000, 500), sample(1300, 500)},
                        {sample(790, 500), sample(800, 500), sample(810, 500)}, 10);
    const FigureChange& throughput = figure(c, "throughput");
    CHECK(throughput.old_median == 1000);
    CHECK(throughput.old_min == 700);
    CHECK(throughput.old_max == 1300);
    CHECK(throughput.new_median == 800);
    CHECK(throughput.percent == Approx(-20));
    CHECK_FALSE(throughput.counts);
    CHECK_FALSE(c.regression());
    // The same drop with the new side's spread too wide counts neither.
    const Comparison wide =
        compare_samples({sample(990, 500), sample(1000, 500), sample(1010, 500)},
                        {sample(500, 500), sample(800, 500), sample(1200, 500)}, 10);
    CHECK_FALSE(figure(wide, "throughput").counts);
}

TEST_CASE("compare: one outlying repeat does not hide a drop whose ranges are apart") {
    // Measured under ASan: OLD's repeats 3.43..7.98 M/s (one outlier), NEW's 202..244 k/s.
    // The drop (-94 %) is smaller than OLD's width (4.55 M/s), yet no repeat of NEW comes near
    // any of OLD's: a regression.
    const Comparison c =
        compare_samples({sample(3.43e6, 500), sample(3.9e6, 500), sample(4.09e6, 500),
                         sample(4.2e6, 500), sample(7.98e6, 500)},
                        {sample(202e3, 500), sample(230e3, 500), sample(235e3, 500),
                         sample(240e3, 500), sample(244e3, 500)},
                        60);
    const FigureChange& throughput = figure(c, "throughput");
    CHECK(throughput.percent == Approx(-94.25).epsilon(0.01));
    CHECK(throughput.counts);
    CHECK(throughput.regression);
    CHECK(c.regression());
    // Ranges that meet, by one repeat, are noise however far the medians moved.
    const Comparison touching =
        compare_samples({sample(250e3, 500), sample(3.9e6, 500), sample(4.09e6, 500)},
                        {sample(202e3, 500), sample(235e3, 500), sample(260e3, 500)}, 60);
    CHECK_FALSE(figure(touching, "throughput").counts);
}

TEST_CASE("compare: a p99 wait up beyond threshold and spread is a regression, down improves") {
    const Comparison worse = compare_samples({sample(1000, 500), sample(1000, 520)},
                                             {sample(1000, 900), sample(1000, 950)}, 10);
    CHECK(figure(worse, "wait p99").regression);
    CHECK(worse.regression());
    const Comparison better = compare_samples({sample(1000, 900), sample(1000, 950)},
                                              {sample(1000, 500), sample(1000, 520)}, 10);
    CHECK(figure(better, "wait p99").counts);
    CHECK_FALSE(figure(better, "wait p99").regression);
    CHECK_FALSE(better.regression());
    std::ostringstream out;
    write_comparison(out, better, 10);
    CHECK(out.str().find("improvement") != std::string::npos);
    CHECK(out.str().find("\nno regression") != std::string::npos);
}

TEST_CASE("compare: a property that held and fails now is a regression") {
    const Comparison c = compare_samples({sample(1000, 500)}, {sample(1000, 500, "fail")}, 10);
    REQUIRE(c.cases.size() == 1);
    REQUIRE(c.cases[0].verdict_changes.size() == 1);
    CHECK(c.cases[0].verdict_changes[0] == "mutual-exclusion: pass -> fail");
    CHECK(c.regression());
}

TEST_CASE("compare: a case that ran and now could not run is a regression") {
    // It has no figures and no verdicts in NEW: nothing else would tell.
    CaseSample stopped;
    stopped.backend = "named_mutex";
    stopped.mapping = "shm";
    stopped.agents = 2;
    stopped.outcome = "could-not-run";
    const Comparison c = compare_samples({sample(1000, 500)}, {sample(1000, 500), stopped}, 10);
    REQUIRE(c.cases.size() == 1);
    CHECK(c.cases[0].stopped_running);
    CHECK(c.regression());
    std::ostringstream out;
    write_comparison(out, c, 10);
    CHECK(out.str().find("\n  could not run (it ran in OLD)\n") != std::string::npos);
    // One that could not run before either is no news.
    CHECK_FALSE(compare_samples({stopped}, {stopped}, 10).regression());
}

TEST_CASE("compare: cases match by backend and agents, a changed hold is reported") {
    CaseSample other = sample(1000, 500);
    other.agents = 4;
    CaseSample spin = sample(1000, 500);
    spin.backend = "spin";
    const Comparison c =
        compare_samples({sample(1000, 500), other}, {sample(100, 5000, "pass", 2000), spin}, 10);
    REQUIRE(c.cases.size() == 1);
    CHECK(c.cases[0].key == "named_mutex agents=2");
    CHECK(c.cases[0].config_change == "hold 0ns -> 2.00us");
    CHECK(figure(c, "throughput").regression);
    CHECK(figure(c, "wait p99").regression);
    CHECK(c.only_old == std::vector<std::string>{"named_mutex agents=4"});
    CHECK(c.only_new == std::vector<std::string>{"spin agents=2"});
    std::ostringstream out;
    write_comparison(out, c, 10);
    CHECK(out.str().rfind("named_mutex agents=2 (1 -> 1 repeat(s)): hold 0ns -> 2.00us\n"
                          "  throughput: 1.00k/s [1.00k/s..1.00k/s] -> 100/s [100/s..100/s]  "
                          "-90.0%  REGRESSION\n",
                          0) == 0);
    CHECK(out.str().find("\nregression (threshold 10%") != std::string::npos);
}

TEST_CASE("compare: reading a stress JSON, and refusing what is not one") {
    std::istringstream good(R"({"kind": "ipc-harness stress", "cases": [
        {"backend": "spin", "mapping": "shm", "agents": 1, "hold_ns": 0, "payload_bytes": 64, "repeat": 1,
         "outcome": "ok", "figures": {"throughput_per_s": 5.5e6, "wait": {"p99_ns": 40}},
         "verdicts": [{"id": "mutual-exclusion", "verdict": "pass"}]}]})");
    auto samples = read_samples(good);
    REQUIRE(std::holds_alternative<std::vector<CaseSample>>(samples));
    const CaseSample& s = std::get<std::vector<CaseSample>>(samples).at(0);
    CHECK(s.backend == "spin");
    CHECK(s.throughput == 5.5e6);
    CHECK(s.wait_p99_ns == 40);
    CHECK(s.verdicts.at("mutual-exclusion") == "pass");

    std::istringstream results(R"({"tool": "ipc-harness", "scenarios": []})");
    CHECK(std::get<std::string>(read_samples(results)) ==
          "not a stress JSON (its \"kind\" is not \"ipc-harness stress\")");
    std::istringstream broken(R"({"kind": "ipc-harness stress", "cases": [{"backend": 1}]})");
    CHECK(std::get<std::string>(read_samples(broken)).rfind("not a stress JSON: ", 0) == 0);
    std::istringstream garbage("{not json");
    CHECK(std::get<std::string>(read_samples(garbage)) == "not JSON (it stops parsing at byte 3)");
}
