// `kind: stress` files through `ipc-harness run`: every case of the sweep a case of the run, with
// its figures, verdicts and clock in the console, JUnit and JSON reports; a lock that does not
// exclude fails its case (exit 1); `list` names the sweep's cases; bad keys exit 2.
#include "harness_process.hpp"

#include <catch2/catch.hpp>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("run: a kind: stress file runs its sweep, each case reported with figures and clock") {
    const TempDir dir("stress-file");
    write_file(dir.path(), "sweep.yaml",
               "kind: stress\nname: sweep\nbackends: [spin, robust_mutex]\nagents: [1, 2]\n"
               "duration: 100ms\nwarmup: 20ms\ntiming: full\nclock: monotonic\n");
    const HarnessRun run = run_harness({"run", "sweep.yaml", "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("4 scenarios: 4 passed") != std::string::npos);
    CHECK(run.out.find("PASS: sweep[backend=robust_mutex,agents=2,repeat=1] (") !=
          std::string::npos);
    CHECK(run.out.find("clock monotonic error <= 0 ns)") != std::string::npos);
    CHECK(run.out.find("  stress: ") != std::string::npos);

    const json report = read_json(dir.path() / "out/results.json");
    REQUIRE(report.at("scenarios").size() == 4);
    for (const json& c : report.at("scenarios")) {
        INFO(c.at("name"));
        CHECK(c.at("outcome") == "passed");
        const json& stress = c.at("stress");
        const auto agents = stress.at("agents").get<std::size_t>();
        CHECK(c.at("agents").size() == agents);
        CHECK(c.at("parameters").at("agents") == agents);
        CHECK(stress.at("timing") == "full, every op stamped");
        CHECK(stress.at("acquisitions").get<std::uint64_t>() > 0);
        // Full timing: every section stamped, hand-offs and runs measured.
        CHECK(stress.at("stamped") == stress.at("acquisitions"));
        CHECK(stress.at("longest_run").get<std::uint64_t>() >= 1);
        CHECK(c.at("critical_sections") == stress.at("acquisitions"));
        // --clock monotonic, as the file asked, and why.
        CHECK(c.at("clock").at("source") == "monotonic");
        CHECK(c.at("clock").at("fallback") == "asked");
        CHECK(c.at("clock").at("monotonic_agents") == agents);
    }
    const std::string junit = read_text(dir.path() / "out/junit.xml");
    CHECK(junit.find(R"(<testsuite name="sweep[backend=spin,agents=1,repeat=1]")") !=
          std::string::npos);
    CHECK(junit.find(R"(<property name="clock.reason" value="CLOCK_MONOTONIC asked for)") !=
          std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("run: a kind: stress case whose lock does not exclude fails, exit 1") {
    // The negative control: `none` takes no lock, and 2 agents holding 1 us overlap.
    const TempDir dir("stress-file-none");
    write_file(dir.path(), "none.yaml",
               "kind: stress\nbackends: none\nagents: 2\nduration: 200ms\nhold: 1us\n");
    const HarnessRun run = run_harness({"run", "none.yaml", "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const json c = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    CHECK(c.at("outcome") == "failed");
    bool mutual_exclusion_failed = false;
    for (const json& p : c.at("properties"))
        if (p.at("id") == "mutual-exclusion")
            mutual_exclusion_failed = p.at("verdict") == "fail" && p.at("met") == false;
    CHECK(mutual_exclusion_failed);
    CHECK(fs::is_directory(c.at("run_dir").get<std::string>()));
    CHECK(leftovers(run).empty());
}

TEST_CASE("run: a kind: stress file's thresholds are rows of each case, and one not met fails it") {
    // 1e12 sections a second is beyond any machine: the limit a case cannot reach.
    const TempDir dir("stress-file-expect");
    write_file(dir.path(), "gate.yaml",
               "kind: stress\nname: gate\nbackends: spin\nagents: [1, 2]\nduration: 100ms\n"
               "expect:\n  min_throughput: 1e12\n  max_wait: 10s\n");
    const HarnessRun run = run_harness({"run", "gate.yaml", "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("2 scenarios: 0 passed, 0 control caught, 2 failed") != std::string::npos);
    CHECK(run.out.find("  - min_throughput: measured ") != std::string::npos);
    const json report = read_json(dir.path() / "out/results.json");
    REQUIRE(report.at("scenarios").size() == 2);
    for (const json& c : report.at("scenarios")) {
        INFO(c.at("name"));
        CHECK(c.at("outcome") == "failed");
        const json& rows = c.at("requirements");
        REQUIRE(rows.size() == 2);
        CHECK(rows.at(0).at("name") == "min_throughput");
        CHECK(rows.at(0).at("met") == false);
        CHECK(rows.at(0).at("value").get<double>() > 0);
        CHECK(rows.at(1).at("name") == "max_wait");
        CHECK(rows.at(1).at("met") == true);
        // The properties held: the threshold alone failed the case.
        for (const json& p : c.at("properties"))
            CHECK(p.at("verdict") != "fail");
    }
    const std::string junit = read_text(dir.path() / "out/junit.xml");
    CHECK(junit.find(R"(name="min_throughput" time="0.000">
      <failure message="measured )") != std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("list names a stress file's cases and its problems exit 2 with file:line:col") {
    const TempDir dir("stress-file-list");
    write_file(dir.path(), "sweep.yaml",
               "kind: stress\nname: s\nbackends: [spin, none]\nagents: [1, 4]\nrepeat: 2\n");
    const HarnessRun list = run_harness({"list", "sweep.yaml"}, dir.path());
    INFO(list.out << list.err);
    CHECK(list.exit_code == 0);
    CHECK(list.out.find("s[backend=none,agents=4,repeat=2]\tsweep.yaml\t4 agents\tbackend=none "
                        "agents=4 repeat=2\n") != std::string::npos);
    std::size_t lines = 0;
    for (const char c : list.out)
        lines += c == '\n';
    CHECK(lines == 8);

    write_file(dir.path(), "bad.yaml", "kind: stress\nagents: [0]\nops: [write]\n");
    const HarnessRun bad = run_harness({"run", "bad.yaml", "--out", "out"}, dir.path());
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("bad.yaml:2:10: error: agents item must be an integer from 1 to 256; got "
                       "0\n") != std::string::npos);
    CHECK(bad.err.find("bad.yaml:3:1: error: unknown key 'ops' in a stress file") !=
          std::string::npos);
}
