// The one YAML document a scenario file holds, parsed by yaml-cpp with its failure modes
// turned into problems: syntax errors, an empty file, a second document.
#pragma once

#include "scenario/yaml_reader.hpp"

#include <optional>
#include <string>
#include <yaml-cpp/yaml.h>

namespace ipch::scenario_detail {

// The file's first document, when it is a map; nullopt with the reason reported otherwise.
std::optional<YAML::Node> read_document(const std::string& text, Diagnostics& diag);

} // namespace ipch::scenario_detail
