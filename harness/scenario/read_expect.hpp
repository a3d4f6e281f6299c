// The parts of `expect` beyond hold and fail, each read from its field of the expect map.
#pragma once

#include "scenario/yaml_reader.hpp"

#include <string>
#include <vector>

namespace ipch::scenario_detail {

// min_throughput, max_wait_p99, max_wait, min_fairness: those the map has.
Thresholds read_thresholds(const MapReader& expect_map, Diagnostics& diag);

// `crashes: [NAME...]`: groups or agent instances of `agents`.
std::vector<std::string> read_crashes(const Field& field, const std::vector<AgentSpec>& agents,
                                      Diagnostics& diag);

// `errors: [{agent, op, error}...]`: an agent of `agents`, an op kind it runs, an error name of
// error_names.hpp.
std::vector<ExpectedError>
read_expected_errors(const Field& field, const std::vector<AgentSpec>& agents, Diagnostics& diag);

} // namespace ipch::scenario_detail
