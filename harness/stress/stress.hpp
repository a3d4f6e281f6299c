// Stress sweeps: how a lock behaves as agents pile up. A sweep runs one case per backend x
// agent count x repeat, each a Scenario built here and run through the ordinary pipeline
// (make_plan, run_agents, check_history), and measures each case from its history.
#pragma once

#include "case_clock.hpp"
#include "check.hpp"
#include "history.hpp"
#include "metrics/histogram.hpp"
#include "plan.hpp"
#include "results.hpp"
#include "scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ipch::stress {

// What `ipc-harness stress` sweeps (docs/stress.md): a `kind: stress` scenario file's sweep.
using StressConfig = StressSpec;

// "sampled, every 64th op stamped" or "full, every op stamped".
std::string timing_text(const StressConfig& config);

// One case of a sweep: which backend, how many agents, which repeat (from 1).
struct CaseKey {
    MutexKind backend = MutexKind::named_mutex;
    std::uint32_t agents = 1;
    std::uint32_t repeat = 1;
};

// The scenario of one case: `agents` agents that each repeat, for the warmup (when there is one)
// and then for the duration, one critical section: a write of the payload, held for the hold
// time. With no hold the write is its own section; with one it is lock, write, hold, unlock.
Scenario stress_scenario(const StressConfig& config, const CaseKey& key);

// The op ids of an agent's measured repeat (the last top-level op and everything in it): the
// warmup's events are left out of the figures.
std::vector<std::uint32_t> measured_op_ids(const AgentPlan& agent);

// The figures of one case, from its measured sections (docs/stress.md, "Columns").
struct CaseFigures {
    // Every measured section, stamped or only counted (a tally's count): exact in either mode.
    std::uint64_t acquisitions = 0;
    // The stamped ones: the sample the distributions, hand-offs and runs come from.
    std::uint64_t stamped = 0;
    std::vector<std::uint64_t> per_agent; // every agent, in History::agents order
    std::optional<double> throughput;     // acquisitions per second, first acquire to last release
    double measured_s = 0;                // that span
    LogHistogram wait;                    // acquired - requested
    LogHistogram hold;                    // released - acquired
    LogHistogram handoff; // next section's acquire - previous section's release, stamp order
    std::optional<double> jain;
    // Whether hand-off and longest_run were measured: they need every section in lock order,
    // which only full timing records (sampled: handoff empty, longest_run 0).
    bool lock_order_measured = true;
    std::uint64_t longest_run = 0; // consecutive acquisitions by one agent, stamp order
    std::uint32_t longest_run_agent = 0;
    std::uint64_t longest_wait_ns = 0;
    std::uint32_t longest_wait_agent = 0;
};

// Measures a history. `measured[i]` lists the op ids counted for History::agents[i] (an agent
// without a list counts nothing); tally events of those ids add their counts to the
// acquisitions, and their times end the measured span. No I/O.
CaseFigures measure(const History& history,
                    const std::vector<std::vector<std::uint32_t>>& measured);

// One case as run: its figures and its verdicts.
struct StressCase {
    CaseKey key;
    CaseFigures figures;
    CaseClock clock;
    std::vector<PropertyResult> verdicts;
    std::string run_id;
    std::string started_utc; // ISO 8601, when the case began
    std::uint64_t events = 0;
    std::vector<AgentSummary> agents; // how each agent ended
    bool could_not_run = false;
    std::vector<std::string> errors;
    double duration_s = 0;
    std::string run_dir; // kept when the case failed
};

// "ok", "fail" (a property failed) or "could-not-run".
std::string case_outcome(const StressCase& stress_case);
// The ids of the properties that failed, comma-separated.
std::string failed_properties(const StressCase& stress_case);

// The machine the sweep ran on, for the JSON.
struct Environment {
    std::string cpu_model;
    unsigned cores = 0;
    std::string kernel;
    std::string boost_version;
    double load_average[3] = {0, 0, 0};
    // Whether the TSC is invariant here (constant_tsc, nonstop_tsc): the agents' clock choice
    // follows from it; each case says what its agents did (CaseClock).
    bool invariant_tsc = false;
};
Environment read_environment();

struct Sweep {
    std::string tool_version;
    std::string started_utc;
    double duration_s = 0;
    StressConfig config;
    Environment environment;
    std::vector<StressCase> cases;
    std::string shard; // "K/N" when --shard ran a slice of the cases, else ""
};

} // namespace ipch::stress
