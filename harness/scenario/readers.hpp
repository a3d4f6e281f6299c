// The scenario's parts, each read from its YAML field: problems go to `diag`, and whatever
// could not be read keeps its default (the caller returns the problems, not the scenario).
#pragma once

#include "scenario.hpp"
#include "scenario/yaml_reader.hpp"

#include <array>
#include <vector>

namespace ipch::scenario_detail {

MappingSpec read_mapping(const Field& field, Diagnostics& diag);
MutexSpec read_mutex(const Field& field, Diagnostics& diag);
// The mode of the objects the run creates, such as 0660 (docs/scenarios.md, `permissions`).
std::optional<std::uint32_t> read_permissions(const Field& field, Diagnostics& diag);
// `scenario_path` locates an external agent's program given by a relative path.
std::vector<AgentSpec> read_agents(const Field& field, const std::string& scenario_path,
                                   Diagnostics& diag);
// An agent group's `faults`: a list of fault names, or a map of fault names to probabilities.
std::vector<FaultSpec> read_faults(const Field& field, Diagnostics& diag);
// `agents` (read before it) are what expect's crashes and errors may name.
Expectations read_expect(const Field& field, const std::vector<AgentSpec>& agents,
                         Diagnostics& diag);

// How many ops one file may expand to. YAML aliases let a few lines of text repeat a list of
// ops inside itself level after level, billions of times; no hand-written file comes near this.
inline constexpr std::size_t max_ops_expanded = 1'000'000;

struct OpBudget {
    std::size_t left = max_ops_expanded;
    bool reported = false;
};

// An agent's ops, with its critical sections checked; a bare `open` takes `group_mode`.
std::vector<OpSpec> read_ops(const Field& field, OpenMode group_mode, OpBudget& budget,
                             Diagnostics& diag);

// What the agents' ops refer to, checked once every agent is read: wait_for's `from` names an
// agent or group; a barrier has the same groups at every use, each of them existing and using it.
void check_references(const Scenario& scenario, Diagnostics& diag);

} // namespace ipch::scenario_detail
