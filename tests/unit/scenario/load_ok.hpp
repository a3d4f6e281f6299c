// Loading a scenario file that must load: shared by the scenario tests.
#pragma once

#include "scenario.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ipch::test {

// The file's one case (it has no matrix), or a failed check that shows every problem.
inline Scenario load_ok(const std::string& path) {
    LoadResult result = load_scenario(path);
    if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&result)) {
        for (const ScenarioError& error : *errors)
            UNSCOPED_INFO(format_error(error));
        FAIL("expected " << path << " to load");
    }
    auto cases = std::get<std::vector<Scenario>>(std::move(result));
    REQUIRE(cases.size() == 1);
    return std::move(cases.front());
}

} // namespace ipch::test
