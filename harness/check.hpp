// The checker's public face: properties, verdicts, evidence, and one entry point. check/ holds
// one file per property; it does no I/O: history in, results out.
#pragma once

#include "history.hpp"
#include "properties.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ipch {

// `observed`: a property that is reported, not judged (persistence): its detail holds what was
// seen; never a failure, whatever the scenario required.
enum class Verdict { pass, fail, not_applicable, unknown, observed };
std::string_view to_string(Verdict verdict);

// One event named in evidence.
struct EvidenceEvent {
    std::uint32_t agent_id = 0;
    std::string agent;     // agent name
    std::string op_label;  // the op, readable
    std::size_t index = 0; // position in that agent's event list
    EventRecord event{};
};

// The smallest witness of one violation: a sentence and the events it names.
struct Evidence {
    std::string summary;
    std::vector<EvidenceEvent> events;
};

struct PropertyResult {
    std::string id;
    Verdict verdict = Verdict::not_applicable;
    std::string detail;           // one line: what was checked, or why it failed
    std::uint64_t checked = 0;    // how many items (events, critical sections) were checked
    std::uint64_t violations = 0; // total count; evidence holds at most max_evidence of them
    std::vector<Evidence> evidence;
};

struct CheckOptions {
    std::uint64_t tolerance_ns = 0; // clock comparisons allow this much slack
    std::size_t max_evidence = 5;   // per property
    // timed-lock: how much earlier than its deadline a timed_lock may give up (clock
    // granularity), and how much later (a woken process waiting for a core on a busy machine).
    std::uint64_t timed_lock_early_ns = 1'000'000;
    std::uint64_t timed_lock_late_ns = 100'000'000;
    // fairness: what the scenario demands (`expect: min_fairness, max_overtakes`); unset, the
    // property is only measured, not judged.
    std::optional<double> min_fairness{};
    std::optional<std::uint64_t> max_overtakes{};
    // Histories without lock-order stamps are checked for linearizability (black-box), a search
    // that may take exponential time: past this budget the verdict is unknown.
    std::uint64_t linearizability_budget_ns = 10'000'000'000;
};

// Checks every property the checker implements (PropertyInfo::checked) against the history, in
// catalog order: one result each.
std::vector<PropertyResult> check_history(const History& history, const CheckOptions& options = {});

} // namespace ipch
