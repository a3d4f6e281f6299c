// Every file in tests/data/bad is a scenario the loader must reject. Each one says in its leading
// comment lines what the loader must report, one `# expect: LINE:COL: error: ...` per message,
// in order: adding a file adds a check.
#include "bad_files.hpp"
#include "scenario.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ipch::test::bad_files;
using ipch::test::expected_messages;

// What the loader reports, each message without its "file:" prefix.
std::vector<std::string> actual_messages(const fs::path& file) {
    const ipch::LoadResult result = ipch::load_scenario(file.string());
    std::vector<std::string> actual;
    if (const auto* errors = std::get_if<std::vector<ipch::ScenarioError>>(&result)) {
        for (const ipch::ScenarioError& error : *errors) {
            std::string message = ipch::format_error(error);
            const std::string prefix = file.string() + ":";
            if (message.starts_with(prefix)) message.erase(0, prefix.size());
            actual.push_back(message);
        }
    }
    return actual;
}

} // namespace

TEST_CASE("every bad scenario file gets exactly the messages it expects", "[scenario]") {
    const std::vector<fs::path> files = bad_files();
    REQUIRE(files.size() >= 30); // the issue asks for one file per message, at least 30
    for (const fs::path& file : files) {
        DYNAMIC_SECTION(file.filename().string()) {
            const std::vector<std::string> expected = expected_messages(file);
            // A file without expectations would pass vacuously once it loads fine.
            REQUIRE_FALSE(expected.empty());
            CHECK(actual_messages(file) == expected);
        }
    }
}
