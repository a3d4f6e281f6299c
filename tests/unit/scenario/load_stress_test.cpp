// `kind: stress` files: every key read, the command's defaults for the rest, a matrix over one.
// Their bad values are in tests/data/bad (stress_*.yaml, kind_unknown.yaml).
#include "load_ok.hpp"

#include <catch2/catch.hpp>

using namespace ipch;

namespace {

std::vector<Scenario> load_text(const std::string& text) {
    LoadResult result = load_scenario_text(text, "sweep.yaml");
    if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&result)) {
        for (const ScenarioError& error : *errors)
            UNSCOPED_INFO(format_error(error));
        FAIL("expected the text to load");
    }
    return std::get<std::vector<Scenario>>(std::move(result));
}

} // namespace

TEST_CASE("kind: stress reads every key of the sweep", "[scenario][stress]") {
    const Scenario s = test::load_ok(IPCH_TEST_DATA "/good/stress.yaml");
    REQUIRE(s.stress);
    CHECK(s.name == "every-stress-key");
    CHECK(s.agents.empty());
    const StressSpec& spec = *s.stress;
    CHECK(spec.backends == std::vector<MutexKind>{MutexKind::spin, MutexKind::robust_mutex});
    CHECK(spec.mapping == MappingKind::file);
    CHECK(spec.agents == std::vector<std::uint32_t>{1, 3});
    CHECK(spec.duration_ns == 150'000'000);
    CHECK(spec.warmup_ns == 20'000'000);
    CHECK(spec.hold_ns == 2'000);
    CHECK(spec.payload_bytes == 128);
    CHECK(spec.repeat == 2);
    CHECK(spec.timing == TimingMode::full);
    CHECK(spec.sample_every == 1);
    CHECK(spec.clock == ClockChoice::monotonic);
    CHECK_FALSE(spec.pin);
    const Thresholds& limits = s.expect.thresholds;
    CHECK(limits.min_throughput == 2500.5);
    CHECK(limits.max_wait_p99_ns == 3'000'000);
    CHECK(limits.max_wait_ns == 1'000'000'000);
    CHECK(limits.min_fairness == 0.75);
    CHECK_FALSE(limits.max_overtakes);
}

TEST_CASE("kind: stress takes the stress command's defaults and reads one value as a list",
          "[scenario][stress]") {
    const std::vector<Scenario> cases = load_text("kind: stress\nbackends: spin\nagents: 4\n");
    REQUIRE(cases.size() == 1);
    const StressSpec& spec = *cases.front().stress;
    const StressSpec defaults;
    CHECK(spec.backends == std::vector<MutexKind>{MutexKind::spin});
    CHECK(spec.agents == std::vector<std::uint32_t>{4});
    CHECK(spec.duration_ns == defaults.duration_ns);
    CHECK(spec.timing == TimingMode::sampled);
    CHECK(spec.sample_every == default_sample_every);
    CHECK(spec.clock == ClockChoice::automatic);
    CHECK(cases.front().name == "sweep");

    const StressSpec sampled = *load_text("kind: stress\ntiming: sampled:8\n").front().stress;
    CHECK(sampled.timing == TimingMode::sampled);
    CHECK(sampled.sample_every == 8);
    // Every section stamped is full timing, and says so.
    CHECK(load_text("kind: stress\ntiming: sampled:1\n").front().stress->timing ==
          TimingMode::full);
}

TEST_CASE("kind: scenario (or none) is an ordinary scenario", "[scenario][stress]") {
    const std::vector<Scenario> cases =
        load_text("kind: scenario\nagents:\n  - name: a\n    ops: [lock, unlock]\n");
    REQUIRE(cases.size() == 1);
    CHECK_FALSE(cases.front().stress);
    CHECK(cases.front().agents.size() == 1);
}

TEST_CASE("a matrix over a stress file makes one sweep per value", "[scenario][stress]") {
    const std::vector<Scenario> cases = load_text("kind: stress\nname: m\n"
                                                  "matrix: {hold: [0s, 2us]}\n"
                                                  "hold: ${hold}\n");
    REQUIRE(cases.size() == 2);
    CHECK(cases[0].case_name == "m[hold=0s]");
    CHECK(cases[0].stress->hold_ns == 0);
    CHECK(cases[1].stress->hold_ns == 2'000);
}
