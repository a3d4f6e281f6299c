// What a scenario expects beyond properties: thresholds on the run's figures, crashes, errors.
// mark_expected tells the checker (progress) before it runs; evaluate_requirements turns each
// expectation into a row of the results afterwards.
#include "check/detail.hpp"
#include "error_names.hpp"
#include "metrics.hpp"
#include "run/evaluate.hpp"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace ipch {

namespace {

// A name in `expect` stands for a group (all its agents) or one agent instance.
bool names_agent(const std::string& name, const AgentHistory& agent) {
    return name == agent.name || name == agent.group;
}

void for_each_op(const std::vector<PlanOp>& ops, const std::function<void(const PlanOp&)>& visit) {
    for (const PlanOp& op : ops) {
        if (op.is_repeat)
            for_each_op(op.ops, visit);
        else
            visit(op);
    }
}

bool has_op(const std::vector<PlanOp>& ops, const std::function<bool(OpKind)>& wanted) {
    bool found = false;
    for_each_op(ops, [&](const PlanOp& op) { found = found || wanted(op.kind); });
    return found;
}

// The agent's ops in the plan (agent ids are plan positions + 1); nullptr for an agent the plan
// does not have.
const std::vector<PlanOp>* plan_ops(const Plan& plan, const AgentHistory& agent) {
    const std::size_t position = agent.agent_id - 1;
    if (agent.agent_id == 0 || position >= plan.agents.size()) return nullptr;
    return &plan.agents[position].ops;
}

// ---- formatting, for the rows' details

// "741648", "200", "0.9", "0.857": at most 3 decimals (fewer for large values), no trailing
// zeros, so that a limit reads as the scenario wrote it.
std::string number_text(double value, int min_decimals = 0) {
    char buffer[64];
    const int decimals = std::max(min_decimals, value >= 1000 ? 0 : value >= 10 ? 1 : 3);
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (text.find('.') != std::string::npos) {
        text.erase(text.find_last_not_of('0') + 1);
        if (text.back() == '.') text.pop_back();
    }
    return text;
}

std::string ns_text(double ns) {
    char text[48];
    if (ns >= 1e9)
        std::snprintf(text, sizeof text, "%.3f s", ns / 1e9);
    else if (ns >= 1e6)
        std::snprintf(text, sizeof text, "%.3f ms", ns / 1e6);
    else if (ns >= 1e3)
        std::snprintf(text, sizeof text, "%.3f us", ns / 1e3);
    else
        std::snprintf(text, sizeof text, "%.0f ns", ns);
    return text;
}

// ---- thresholds

// A ratio (Jain's index) with 3 decimals or as many more (up to 9) as it takes for the text to
// stand where the value stands against `limit`: 0.99955 against 0.9996 reads 0.99955, not 1.
std::string ratio_text(double value, double limit) {
    const auto side = [limit](double x) { return (x > limit) - (x < limit); };
    std::string text;
    for (int decimals = 3; decimals <= 9; ++decimals) {
        text = number_text(value, decimals);
        if (side(std::strtod(text.c_str(), nullptr)) == side(value)) break;
    }
    return text;
}

// The figure as the row shows it, by its unit.
std::string value_text(double value, std::string_view unit, double limit) {
    if (unit == "ns") return ns_text(value);
    if (unit.empty()) return ratio_text(value, limit);
    return number_text(value) + " " + std::string(unit);
}

} // namespace

RequirementResult threshold_row(const Threshold& threshold, std::optional<double> value,
                                const std::string& what) {
    RequirementResult row;
    row.kind = RequirementKind::threshold;
    row.name = threshold.name;
    row.limit = threshold.limit;
    row.value = value;
    row.unit = threshold.unit;
    const std::string required = std::string("; required ") +
                                 (threshold.bound == Bound::at_least ? "at least " : "at most ") +
                                 value_text(threshold.limit, threshold.unit, threshold.limit);
    if (!value) {
        // A limit on a figure the run never produced is not met: a scenario whose agents
        // never took the lock has shown nothing about its speed or fairness.
        row.met = false;
        row.detail = "no critical section was recorded" + required;
        return row;
    }
    row.met =
        threshold.bound == Bound::at_least ? *value >= threshold.limit : *value <= threshold.limit;
    row.detail =
        "measured " + value_text(*value, threshold.unit, threshold.limit) + what + required;
    return row;
}

std::vector<RequirementResult> figure_rows(const Thresholds& thresholds,
                                           std::optional<double> throughput,
                                           std::optional<std::uint64_t> wait_p99_ns,
                                           std::optional<std::uint64_t> wait_max_ns,
                                           const std::string& of_waits) {
    const auto as_double = [](std::optional<std::uint64_t> ns) -> std::optional<double> {
        if (!ns) return std::nullopt;
        return static_cast<double>(*ns);
    };
    std::vector<RequirementResult> rows;
    if (thresholds.min_throughput)
        rows.push_back(threshold_row(
            {"min_throughput", Bound::at_least, *thresholds.min_throughput, "sections/s"},
            throughput, ""));
    if (thresholds.max_wait_p99_ns)
        rows.push_back(threshold_row({"max_wait_p99", Bound::at_most,
                                      static_cast<double>(*thresholds.max_wait_p99_ns), "ns"},
                                     as_double(wait_p99_ns), of_waits));
    if (thresholds.max_wait_ns)
        rows.push_back(threshold_row(
            {"max_wait", Bound::at_most, static_cast<double>(*thresholds.max_wait_ns), "ns"},
            as_double(wait_max_ns), of_waits));
    return rows;
}

namespace {

// Whether the agent shares the lock under test: its ops ask for it, and its group does not skip
// it (`mutex: none` in a locked run: what such an agent does is no critical section of the lock,
// so it has no place in the lock's rates, waits or fairness).
bool shares_lock(const Plan& plan, const AgentHistory& agent) {
    const std::vector<PlanOp>* ops = plan_ops(plan, agent);
    if (ops == nullptr || !has_op(*ops, takes_lock_itself)) return false;
    const MutexKind kind = plan.agents[agent.agent_id - 1].mutex_kind;
    return kind != MutexKind::none || plan.mutex_kind == MutexKind::none;
}

History lock_takers(const History& history) {
    History takers;
    takers.payload_capacity = history.payload_capacity;
    for (const AgentHistory& agent : history.agents)
        if (agent.shares_lock) takers.agents.push_back(agent);
    return takers;
}

// min_fairness and max_overtakes are the fairness property's (check/fairness.cpp), not rows.
std::vector<RequirementResult> threshold_rows(const Thresholds& thresholds, const History& all) {
    const History history = lock_takers(all);
    const std::vector<std::uint64_t> waits = lock_waits(history);
    return figure_rows(thresholds, throughput(history), percentile(waits, 99), maximum(waits),
                       " (of " + std::to_string(waits.size()) + " lock waits)");
}

// ---- expected crashes

std::string joined(const std::vector<std::string>& parts) {
    std::string text;
    for (const std::string& part : parts)
        text += (text.empty() ? "" : ", ") + part;
    return text;
}

RequirementResult crash_row(const std::string& name, const History& history) {
    RequirementResult row;
    row.kind = RequirementKind::crash;
    row.name = "expected crash: " + name;
    std::vector<std::string> crashed, survived;
    for (const AgentHistory& agent : history.agents) {
        if (!names_agent(name, agent)) continue;
        if (agent.end == AgentEnd::crashed)
            crashed.push_back(agent.name + " " + check::how_it_ended(agent));
        else
            survived.push_back(agent.name + " " + check::how_it_ended(agent));
    }
    row.met = survived.empty() && !crashed.empty();
    if (row.met)
        row.detail = joined(crashed) + ", as expected";
    else if (crashed.empty() && survived.empty())
        row.detail = "expected '" + name + "' to crash; the run has no such agent";
    else
        row.detail = "expected '" + name + "' to crash; " + joined(survived);
    return row;
}

// ---- expected errors

bool matches(const ExpectedError& expected, const AgentHistory& agent, const EventRecord& event) {
    return names_agent(expected.agent, agent) && event.outcome == Outcome::error &&
           to_string(event.kind) == expected.op && error_matches(expected.error, event.error);
}

// What the named agents' op of that kind did instead, for the message of a missing error.
std::string what_it_did(const ExpectedError& expected, const History& history) {
    for (const AgentHistory& agent : history.agents) {
        if (!names_agent(expected.agent, agent)) continue;
        for (const EventRecord& event : agent.events) {
            if (to_string(event.kind) != expected.op) continue;
            if (event.outcome != Outcome::error)
                return "its " + expected.op + " ended " + std::string(to_string(event.outcome));
            const std::string_view name = error_name_of(event.error);
            return "its " + expected.op + " failed with " +
                   (name.empty() ? "error " + std::to_string(event.error)
                                 : "'" + std::string(name) + "'");
        }
    }
    return "it recorded no " + expected.op;
}

RequirementResult error_row(const ExpectedError& expected, const History& history) {
    RequirementResult row;
    row.kind = RequirementKind::error;
    row.name = "expected error: " + expected.agent + ", " + expected.op + ", " + expected.error;
    for (const AgentHistory& agent : history.agents) {
        for (const EventRecord& event : agent.events) {
            if (!matches(expected, agent, event)) continue;
            row.detail =
                agent.name + " got '" + expected.error + "' from " + expected.op + ", as expected";
            return row;
        }
    }
    row.met = false;
    row.detail = "expected agent '" + expected.agent + "' to get '" + expected.error + "' from " +
                 expected.op + "; it did not (" + what_it_did(expected, history) + ")";
    return row;
}

OpKind op_kind_named(const std::string& name) {
    for (std::uint16_t k = 1; k <= static_cast<std::uint16_t>(OpKind::crash); ++k)
        if (to_string(static_cast<OpKind>(k)) == name) return static_cast<OpKind>(k);
    assert(false && "the loader accepts only op kind names (to_string(OpKind))");
    return OpKind::open;
}

} // namespace

void mark_expected(const Scenario& scenario, const Plan& plan, History& history) {
    const Expectations& expect = scenario.expect;
    for (AgentHistory& agent : history.agents) {
        const std::vector<PlanOp>* ops = plan_ops(plan, agent);
        const bool crash_op =
            ops != nullptr && has_op(*ops, [](OpKind kind) { return kind == OpKind::crash; });
        const bool listed =
            std::any_of(expect.crashes.begin(), expect.crashes.end(),
                        [&](const std::string& name) { return names_agent(name, agent); });
        agent.expected_crash = agent.expected_crash || crash_op || listed;
        agent.shares_lock = shares_lock(plan, agent);
        for (const ExpectedError& expected : expect.errors)
            if (names_agent(expected.agent, agent))
                agent.expected_errors.push_back({op_kind_named(expected.op), expected.error});
    }
}

std::vector<RequirementResult> evaluate_requirements(const Scenario& scenario,
                                                     const History& history) {
    std::vector<RequirementResult> rows = threshold_rows(scenario.expect.thresholds, history);
    for (const std::string& name : scenario.expect.crashes)
        rows.push_back(crash_row(name, history));
    for (const ExpectedError& expected : scenario.expect.errors)
        rows.push_back(error_row(expected, history));
    return rows;
}

} // namespace ipch
