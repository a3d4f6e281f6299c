// What a run of the harness produced: plain data every report is a function of. The outcome
// table is declared once, here, and every report uses it (as LLVM lit's ResultCode does).
#pragma once

#include "case_clock.hpp"
#include "chaos_action.hpp"
#include "check.hpp"
#include "hang_forensics.hpp"
#include "history.hpp"
#include "scenario.hpp"
#include "timeline.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ipch {

enum class ScenarioOutcome {
    passed,         // every expectation met
    control_caught, // a negative control: the properties it expects to fail did fail
    failed,         // an expectation was not met
    control_missed, // a negative control whose expected failure was not caught
    bad_input,      // the scenario file is invalid (exit 2)
    harness_error,  // the harness could not run it (exit 3)
};

struct OutcomeInfo {
    ScenarioOutcome outcome;
    std::string_view name;  // stable, for JSON
    std::string_view label; // for people: PASS, FAIL, ...
    bool is_failure;
};
const OutcomeInfo& outcome_info(ScenarioOutcome outcome);

// What the scenario asked of a property.
enum class Requirement { hold, fail, info };
std::string_view to_string(Requirement requirement);

struct PropertyOutcome {
    PropertyResult result;
    Requirement requirement = Requirement::info;
    bool met = true; // the requirement is satisfied (always true for info)
};

// What a scenario asked beyond properties (`expect`): a threshold on a figure of the run, a crash
// it expects, an error it expects. Each one is a row of its own in every report; an unmet one
// fails the scenario.
enum class RequirementKind { threshold, crash, error };
std::string_view to_string(RequirementKind kind);

struct RequirementResult {
    RequirementKind kind = RequirementKind::threshold;
    // How reports name the row (a JUnit testcase): the threshold's key ("min_throughput"),
    // "expected crash: NAME", "expected error: AGENT, OP, ERROR".
    std::string name;
    std::optional<double> limit; // a threshold's limit, in `unit`
    std::optional<double> value; // what the run measured; nullopt when there was nothing to
    std::string unit;            // "sections/s", "ns", or "" (a ratio, or not a threshold)
    bool met = true;
    std::string detail; // one line for people: what was measured or seen, against what
};

struct AgentSummary {
    std::uint32_t agent_id = 0;
    std::string name;
    AgentEnd end = AgentEnd::finished;
    int exit_code = 0;
    int signal = 0;
    std::uint64_t events = 0;
    std::string log_damage;
};

// A distribution of one figure of a stress case (docs/stress.md, "Columns"), in ns.
struct DistributionSummary {
    std::uint64_t count = 0;
    std::uint64_t p50_ns = 0;
    std::uint64_t p90_ns = 0;
    std::uint64_t p99_ns = 0;
    std::uint64_t p99_9_ns = 0;
    std::uint64_t max_ns = 0;
};

// A case of a `kind: stress` file: which sweep case it is and its figures (docs/stress.md).
struct StressSummary {
    std::string backend;
    std::uint32_t agents = 0;
    std::uint32_t repeat = 1;
    std::string timing;             // "sampled, every 64th op stamped", "full, ..."
    std::uint64_t acquisitions = 0; // every measured section, stamped or counted
    std::uint64_t stamped = 0;      // the ones the distributions come from
    std::vector<std::uint64_t> per_agent;
    std::optional<double> throughput_per_s;
    std::optional<double> jain_index;
    std::optional<DistributionSummary> wait; // none without samples
    std::optional<DistributionSummary> hold;
    std::optional<DistributionSummary> handoff; // full timing only
    std::optional<std::uint64_t> longest_run;   // full timing only
    std::uint64_t longest_wait_ns = 0;
};

struct ScenarioResult {
    std::string path;
    std::string name;
    // A matrix case's values (`name` is then the case's name, with them); none without a matrix.
    std::vector<CaseParameter> parameters;
    // The case's seed; none for a file that did not load.
    std::optional<std::uint64_t> seed;
    std::string run_id;
    std::string run_dir;     // kept on failure; empty when removed
    std::string started_utc; // ISO 8601: when this scenario's run began
    ScenarioOutcome outcome = ScenarioOutcome::passed;
    std::vector<std::string> messages; // errors (bad input, harness errors), one per line
    double duration_s = 0;
    std::uint64_t events = 0;
    std::uint64_t critical_sections = 0;
    std::vector<AgentSummary> agents;
    std::vector<PropertyOutcome> properties;
    std::vector<RequirementResult> requirements; // thresholds, expected crashes and errors
    std::vector<ChaosAction> chaos;              // the signals `run --chaos` sent, in order
    std::optional<HangForensics> hang;           // when the run's timeout expired
    // Which clock the agents' times came from, why, and its error bound; none when no agent ran.
    std::optional<CaseClock> clock;
    std::optional<StressSummary> stress; // a `kind: stress` file's case
    std::optional<Timeline> timeline;    // for the HTML and trace reports; none when nothing ran
};

struct RunResults {
    std::string tool_version;
    std::string started_utc; // ISO 8601
    double duration_s = 0;
    std::vector<ScenarioResult> scenarios;
    int interrupt_signal = 0; // SIGINT, SIGTERM or SIGHUP when the run was interrupted, else 0
    // The invocation's seed, given with --seed or drawn; every case's seed derives from it.
    std::optional<std::uint64_t> seed;
    std::string shard; // "K/N" when --shard ran a slice of the cases (run/shard.hpp), else ""
    bool interrupted() const { return interrupt_signal != 0; }
};

// The harness's exit code for these results (DESIGN.md): 0 all met, 1 an expectation failed,
// 2 bad input, 3 the harness could not run. The worst one wins: 2 over 3 over 1. An interrupted
// run exits 128 + the signal, as a shell reports it.
int exit_code_for(const RunResults& results);

} // namespace ipch
