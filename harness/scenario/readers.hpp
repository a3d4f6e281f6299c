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
struct OpBudget;
// `scenario_path` locates an external agent's program given by a relative path; `budget` is the
// whole file's, shared by its matrix cases.
std::vector<AgentSpec> read_agents(const Field& field, const std::string& scenario_path,
                                   OpBudget& budget, Diagnostics& diag);
// An agent group's `faults`: a list of fault names, or a map of fault names to probabilities.
std::vector<FaultSpec> read_faults(const Field& field, Diagnostics& diag);
// `agents` (read before it) are what expect's crashes and errors may name.
Expectations read_expect(const Field& field, const std::vector<AgentSpec>& agents,
                         Diagnostics& diag);

// How many ops one file may expand to, all its matrix cases together. YAML aliases let a few lines
// of text repeat a list of ops inside itself level after level, billions of times, and a matrix
// reads the file once per case; no hand-written file comes near this. Found by fuzzing: at
// 1,000,000 a 1.4 KB file of aliases took a second to refuse (ten under the sanitizers), and a
// matrix multiplied that by its cases.
inline constexpr std::size_t max_ops_expanded = 100'000;

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
