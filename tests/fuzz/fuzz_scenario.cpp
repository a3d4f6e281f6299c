// libFuzzer target: any text, as a scenario file, through the loader and its validation. Errors
// are the expected outcome of most inputs; a crash, a hang, a leak or an error that is not a
// "file:line:col: error: ...; expected ..." sentence is a finding.
#include "scenario.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <variant>

namespace {

// Every problem must read as the loader promises: "error: " first, with a position in the file
// or none at all.
void check_error(const ipch::ScenarioError& error) {
    if (error.message.rfind("error: ", 0) != 0 || error.pos.line < 0 || error.pos.column < 0)
        std::abort();
    if (ipch::format_error(error).empty()) std::abort();
}

// A loaded case must respect the documented limits the loader enforces.
void check_case(const ipch::Scenario& scenario) {
    if (scenario.mapping.size > ipch::max_mapping_size) std::abort();
    std::uint64_t agents = 0;
    for (const ipch::AgentSpec& agent : scenario.agents) {
        agents += agent.count;
        if (ipch::instance_names(agent).size() != agent.count) std::abort();
    }
    if (agents > ipch::max_agents) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const ipch::LoadResult result = ipch::load_scenario_text(text, "fuzz.yaml");
    if (const auto* errors = std::get_if<std::vector<ipch::ScenarioError>>(&result)) {
        if (errors->empty()) std::abort(); // a refusal always says why
        for (const ipch::ScenarioError& error : *errors)
            check_error(error);
        return 0;
    }
    const auto& cases = std::get<std::vector<ipch::Scenario>>(result);
    if (cases.empty() || cases.size() > ipch::max_matrix_cases) std::abort();
    for (const ipch::Scenario& scenario : cases)
        check_case(scenario);
    return 0;
}
