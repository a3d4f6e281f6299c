// `kind: stress` (docs/stress.md, "As a scenario file"): a file that runs a stress sweep, read
// from its top-level keys. The ordinary top level (agents as groups with ops) does not apply.
#pragma once

#include "scenario.hpp"
#include "scenario/yaml_reader.hpp"

#include <array>
#include <string_view>

namespace ipch::scenario_detail {

enum class ScenarioKind { scenario, stress };

// The document's `kind`: scenario when absent; an unknown kind is reported, and read as a
// scenario so that the rest of the file is still checked.
ScenarioKind read_kind(const YAML::Node& root, Diagnostics& diag);

inline constexpr std::array<std::string_view, 16> stress_top_keys{
    "name",   "description", "kind",    "matrix", "backends", "mapping", "agents", "duration",
    "warmup", "hold",        "payload", "repeat", "timing",   "clock",   "pin",    "expect"};

// The sweep's keys, each defaulting as `ipc-harness stress`'s option does.
StressSpec read_stress(const MapReader& map, Diagnostics& diag);

// A stress file's `expect`: thresholds every case of the sweep must reach (min_throughput,
// max_wait_p99, max_wait, min_fairness); the property lists, crashes and errors of an ordinary
// scenario do not apply.
Thresholds read_stress_expect(const Field& field, Diagnostics& diag);

} // namespace ipch::scenario_detail
