// `ipc-harness validate` rejects every file of tests/data/bad with exactly the messages the file
// states, through the real binary: what a user sees is what the loader's tests check.
#include "../scenario/bad_files.hpp"
#include "harness_process.hpp"

#include <catch2/catch.hpp>

using namespace ipch::test;

TEST_CASE("validate rejects each bad file with its exact messages and positions", "[validate]") {
    const std::vector<std::filesystem::path> files = bad_files();
    REQUIRE(files.size() >= 30);
    std::vector<std::string> args{"validate"};
    std::string expected;
    for (const std::filesystem::path& file : files) {
        args.push_back(file.filename().string());
        for (const std::string& message : expected_messages(file))
            expected += file.filename().string() + ":" + message + "\n";
    }
    const HarnessRun run = run_harness(args, IPCH_TEST_DATA "/bad");
    CHECK(run.exit_code == 2);
    CHECK(run.err == expected);
    CHECK(run.out == std::to_string(files.size()) +
                         " files, 0 cases: " + std::to_string(files.size()) + " files invalid\n");
}
