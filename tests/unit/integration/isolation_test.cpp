// Isolation: eight `ipc-harness run` of one scenario at once on one host. Each run's objects are
// its own (names from its own run id), so every run passes, none sees another's messages, and
// none leaves anything behind.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <future>
#include <set>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("8 concurrent runs of one scenario all pass, with objects of their own", "[isolation]") {
    constexpr int runs = 8;
    TempDir dir("isolation");
    // The classic exchange and the contention example: the classic under names of the run's own
    // (bench/soak/classic.yaml: its fixed names would make the second run refuse, by design).
    const std::vector<std::string> scenarios{source_path("bench/soak/classic.yaml"),
                                             source_path("scenarios/examples/contention.yaml")};
    std::vector<std::future<HarnessRun>> started;
    for (int i = 0; i < runs; ++i) {
        std::vector<std::string> args{"run"};
        args.insert(args.end(), scenarios.begin(), scenarios.end());
        args.insert(args.end(), {"--out", "out-" + std::to_string(i)});
        started.push_back(std::async(std::launch::async, [args, &dir] {
            return run_harness(args, dir.path(), std::chrono::seconds(120));
        }));
    }
    std::set<std::string> run_ids, messages_seen;
    for (int i = 0; i < runs; ++i) {
        const HarnessRun run = started[i].get();
        INFO("run " << i << ": " << run.out << run.err);
        CHECK(run.exit_code == 0);
        const json report = read_json(dir.path() / ("out-" + std::to_string(i)) / "results.json");
        for (const json& scenario : report.at("scenarios")) {
            CHECK(scenario.at("outcome") == "passed");
            // Read-latest and delivery fail when a run reads a message its agents never wrote.
            for (const char* id : {"mutual-exclusion", "no-torn-read", "read-latest"})
                CHECK(property(scenario, id).at("verdict") == "pass");
            if (scenario.at("name") == "soak-classic")
                CHECK(property(scenario, "delivery").at("verdict") == "pass");
            run_ids.insert(scenario.at("run_id").get<std::string>());
        }
        CHECK(leftovers(run).empty());
    }
    CHECK(run_ids.size() == 2 * runs); // no two runs shared a name
    CHECK(agent_pids(dir.path().string()).empty());
}
