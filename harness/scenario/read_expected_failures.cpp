// Failures a scenario expects: agents that must crash (`crashes`) and errors ops must record
// (`errors`). Both name agents, so they are checked against the agents already read.
#include "error_names.hpp"
#include "scenario/read_expect.hpp"
#include "scenario/read_values.hpp"

#include <algorithm>
#include <array>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 3> error_keys{"agent", "op", "error"};

// Every op kind an event can have, as to_string(OpKind) spells it.
std::vector<std::string_view> op_kind_names() {
    std::vector<std::string_view> names;
    for (std::uint16_t k = 1; k <= static_cast<std::uint16_t>(OpKind::crash); ++k)
        names.push_back(to_string(static_cast<OpKind>(k)));
    return names;
}

// "worker (worker-1 to worker-3), victim"
std::string agents_text(const std::vector<AgentSpec>& agents) {
    std::string text;
    for (const AgentSpec& agent : agents) {
        if (!text.empty()) text += ", ";
        text += agent.name;
        if (agent.count > 1)
            text +=
                " (" + agent.name + "-1 to " + agent.name + "-" + std::to_string(agent.count) + ")";
    }
    return text;
}

// The group that `name` is, or one of whose instances it is; nullptr when none.
const AgentSpec* find_agent(const std::string& name, const std::vector<AgentSpec>& agents) {
    for (const AgentSpec& agent : agents) {
        const std::vector<std::string> instances = instance_names(agent);
        if (agent.name == name ||
            std::find(instances.begin(), instances.end(), name) != instances.end())
            return &agent;
    }
    return nullptr;
}

// Reports `name` unless it is a group or an agent instance of the scenario. When an agent's own
// name could not be read (already reported), any name might be that one: nothing is said.
std::optional<const AgentSpec*> check_agent(const Field& field, const std::string& name,
                                            const std::vector<AgentSpec>& agents,
                                            Diagnostics& diag) {
    if (const AgentSpec* agent = find_agent(name, agents)) return agent;
    if (std::any_of(agents.begin(), agents.end(),
                    [](const AgentSpec& a) { return a.name.empty(); }))
        return nullptr;
    std::vector<std::string> names;
    for (const AgentSpec& agent : agents)
        for (std::string& instance : instance_names(agent))
            names.push_back(std::move(instance));
    for (const AgentSpec& agent : agents)
        if (agent.count > 1) names.push_back(agent.name);
    const std::vector<std::string_view> choices(names.begin(), names.end());
    std::string what = "unknown agent '" + shown(name) + "'";
    if (const std::string_view close = closest_word(name, choices); !close.empty())
        what += " (did you mean '" + std::string(close) + "'?)";
    diag.error(field.pos, what + "; expected one of the scenario's agents: " + agents_text(agents));
    return std::nullopt;
}

// One of `choices`, with a did-you-mean when it is a near miss; `what` names it ("op kind").
std::optional<std::string> read_word(const Field& field, std::string_view what,
                                     const std::vector<std::string_view>& choices,
                                     Diagnostics& diag) {
    const std::optional<std::string> word = read_string(field, diag);
    if (!word) return std::nullopt;
    if (std::find(choices.begin(), choices.end(), *word) != choices.end()) return word;
    std::string message = "unknown " + std::string(what) + " '" + shown(*word) + "'";
    if (const std::string_view close = closest_word(*word, choices); !close.empty())
        message += " (did you mean '" + std::string(close) + "'?)";
    diag.error(field.pos, message + "; expected one of: " + join_words(choices));
    return std::nullopt;
}

void collect_kinds(const std::vector<OpSpec>& ops, std::vector<std::string_view>& kinds) {
    for (const OpSpec& op : ops) {
        if (op.is_repeat) {
            collect_kinds(op.ops, kinds);
            continue;
        }
        const std::string_view kind = to_string(op.kind);
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);
    }
}

// The op kinds an agent records: an `open` (at start, or its first op), then its ops.
std::vector<std::string_view> kinds_run_by(const AgentSpec& agent) {
    std::vector<std::string_view> kinds{to_string(OpKind::open)};
    collect_kinds(agent.ops, kinds);
    return kinds;
}

// An error is expected of an op the agent runs; any other could never be met.
void check_runs_op(const Field& field, const std::string& op, const AgentSpec& agent,
                   Diagnostics& diag) {
    const std::vector<std::string_view> kinds = kinds_run_by(agent);
    if (std::find(kinds.begin(), kinds.end(), op) != kinds.end()) return;
    diag.error(field.pos, "agent '" + agent.name + "' runs no " + op +
                              " op; expected an op kind it runs: " + join_words(kinds));
}

std::optional<ExpectedError>
read_expected_error(const Field& field, const std::vector<AgentSpec>& agents, Diagnostics& diag) {
    if (!check_map(field, "a map with agent, op and error", diag)) return std::nullopt;
    const MapReader map(field.node, error_keys, "in an expected error", diag);
    const auto agent_field = map.require("agent", "the agent (or group) that gets the error");
    const auto op_field = map.require("op", "the op kind that records it, such as open");
    const auto error_field = map.require("error", "an error name, such as not found");
    ExpectedError expected;
    expected.pos = field.pos;
    std::optional<const AgentSpec*> agent;
    if (agent_field) {
        if (const auto name = read_text(*agent_field, diag)) {
            expected.agent = *name;
            agent = check_agent(*agent_field, *name, agents, diag);
        }
    }
    std::optional<std::string> op;
    if (op_field) op = read_word(*op_field, "op kind", op_kind_names(), diag);
    if (op && agent && *agent != nullptr) check_runs_op(*op_field, *op, **agent, diag);
    std::optional<std::string> error;
    if (error_field) error = read_word(*error_field, "error", error_name_list(), diag);
    if (!agent || !op || !error) return std::nullopt;
    expected.op = *op;
    expected.error = *error;
    return expected;
}

bool same_error(const ExpectedError& a, const ExpectedError& b) {
    return a.agent == b.agent && a.op == b.op && a.error == b.error;
}

} // namespace

std::vector<std::string> read_crashes(const Field& field, const std::vector<AgentSpec>& agents,
                                      Diagnostics& diag) {
    if (!check_list(field, "a list of agent or group names", diag)) return {};
    std::vector<std::string> names;
    std::vector<int> lines;
    for (const YAML::Node& item : field.node) {
        const Field entry{"an agent name", item, diag.pos(item)};
        const std::optional<std::string> name = read_text(entry, diag);
        if (!name || !check_agent(entry, *name, agents, diag)) continue;
        const auto first = std::find(names.begin(), names.end(), *name);
        if (first != names.end()) {
            diag.error(entry.pos, "agent '" + *name +
                                      "' is listed twice in crashes (first at line " +
                                      std::to_string(lines[first - names.begin()]) + ")");
            continue;
        }
        names.push_back(*name);
        lines.push_back(entry.pos.line);
    }
    return names;
}

std::vector<ExpectedError>
read_expected_errors(const Field& field, const std::vector<AgentSpec>& agents, Diagnostics& diag) {
    if (!check_list(field, "a list of {agent, op, error}", diag)) return {};
    std::vector<ExpectedError> errors;
    for (const YAML::Node& item : field.node) {
        std::optional<ExpectedError> expected =
            read_expected_error(Field{"an expected error", item, diag.pos(item)}, agents, diag);
        if (!expected) continue;
        const auto first = std::find_if(errors.begin(), errors.end(), [&](const ExpectedError& e) {
            return same_error(e, *expected);
        });
        if (first != errors.end()) {
            diag.error(expected->pos, "expected error listed twice (first at line " +
                                          std::to_string(first->pos.line) + ")");
            continue;
        }
        errors.push_back(std::move(*expected));
    }
    return errors;
}

} // namespace ipch::scenario_detail
