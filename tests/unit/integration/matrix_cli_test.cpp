// Matrices, `list`, `validate` and `--seed`, through the real binaries: each case runs and is
// reported on its own; the same seed gives the same plan files byte for byte; two live runs of
// one seed do not share names, and a dead run's leftovers do not stop the next.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <sstream>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string matrix_example = "scenarios/examples/matrix.yaml";

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Every *.plan.json under `dir`, by its path relative to `dir`.
std::map<std::string, std::string> plan_files(const fs::path& dir) {
    std::map<std::string, std::string> plans;
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.path().string().ends_with(".plan.json"))
            plans[fs::relative(entry.path(), dir).string()] = slurp(entry.path());
    return plans;
}

// The /dev/shm entries of the runs a report names (seeded run ids do not start with the pid).
std::vector<std::string> leftovers_of(const json& report) {
    std::vector<std::string> found;
    for (const json& scenario : report.at("scenarios"))
        for (const std::string& name : our_shm_entries())
            if (name.find("ipch-" + scenario.at("run_id").get<std::string>()) != std::string::npos)
                found.push_back(name);
    return found;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

const char* const sleeper = R"(name: sleeper
agents:
  - name: sleeper
    ops:
      - sleep: 3s
)";

} // namespace

TEST_CASE("list prints every case of a matrix file, one a line", "[matrix][list]") {
    TempDir dir("list");
    const std::string file = source_path(matrix_example);
    const HarnessRun run =
        run_harness({"list", file, source_path("scenarios/classic/two-apps.yaml")}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
    CHECK(
        lines(run.out) ==
        std::vector<std::string>{
            "matrix[agents=2,hold=0us]\t" + file + "\t2 agents\tagents=2 hold=0us",
            "matrix[agents=2,hold=20us]\t" + file + "\t2 agents\tagents=2 hold=20us",
            "matrix[agents=4,hold=0us]\t" + file + "\t4 agents\tagents=4 hold=0us",
            "classic-two-apps\t" + source_path("scenarios/classic/two-apps.yaml") + "\t2 agents\t",
        });
}

TEST_CASE("list and validate exit 2 on a bad file, with its messages", "[matrix][list]") {
    TempDir dir("list-bad");
    fs::copy_file(source_path("tests/data/bad/matrix_error_in_some_cases.yaml"),
                  dir.path() / "bad.yaml");
    const std::string message = "bad.yaml:9:12: error: count must be an integer from 1 to 256; "
                                "got 300 (case agents=300)\n";
    const HarnessRun list = run_harness({"list", "bad.yaml"}, dir.path());
    CHECK(list.exit_code == 2);
    CHECK(list.out.empty());
    CHECK(list.err == message);

    const HarnessRun validate =
        run_harness({"validate", "bad.yaml", source_path(matrix_example)}, dir.path());
    CHECK(validate.exit_code == 2);
    CHECK(validate.err == message);
    CHECK(validate.out == "2 files, 3 cases: 1 file invalid\n");

    CHECK(run_harness({"list", "missing.yaml"}, dir.path()).exit_code == 2);
    fs::create_directories(dir.path() / "nothing");
    const HarnessRun none = run_harness({"validate", "nothing"}, dir.path());
    CHECK(none.exit_code == 2);
    CHECK(none.err.find("no scenario files") != std::string::npos);
}

TEST_CASE("validate accepts every bundled scenario", "[matrix][validate]") {
    TempDir dir("validate");
    const HarnessRun run = run_harness({"validate", source_path("scenarios")}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
    CHECK(run.out.ends_with(" cases: all valid\n"));
    CHECK_FALSE(fs::exists(dir.path() / "ipch-results")); // validate writes nothing
}

TEST_CASE("run reports each case of a matrix as its own scenario", "[matrix][run]") {
    TempDir dir("matrix-run");
    const HarnessRun run = run_harness(
        {"run", source_path(matrix_example), "--out", "out", "--seed", "7"}, dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.out.find("PASS: matrix[agents=2,hold=20us] (") != std::string::npos);
    CHECK(run.out.find("3 scenarios: 3 passed, 0 control caught, 0 failed (") != std::string::npos);
    CHECK(run.out.find(" s, seed 7)\n") != std::string::npos);

    const json report = read_json(dir.path() / "out/results.json");
    CHECK(report.at("seed") == "7");
    REQUIRE(report.at("scenarios").size() == 3);
    const json& second = report["scenarios"][1];
    CHECK(second.at("name") == "matrix[agents=2,hold=20us]");
    CHECK(second.at("parameters") == json{{"agents", 2}, {"hold", "20us"}});
    CHECK(second.at("seed").is_string());
    CHECK(second.at("seed") != report["scenarios"][0].at("seed"));
    CHECK(second.at("run_id").get<std::string>().starts_with("s"));
    CHECK(second.at("agents").size() == 2);
    CHECK(report["scenarios"][2].at("agents").size() == 4);

    pugi::xml_document junit;
    REQUIRE(junit.load_file((dir.path() / "out/junit.xml").c_str()));
    std::vector<std::string> suites;
    for (const pugi::xml_node suite : junit.child("testsuites").children("testsuite")) {
        suites.emplace_back(suite.attribute("name").value());
        const std::string classname = suite.child("testcase").attribute("classname").value();
        CHECK(classname == "ipc-harness." + suites.back());
        CHECK(std::string(suite.child("properties")
                              .find_child_by_attribute("property", "name", "seed")
                              .attribute("value")
                              .value()) == "7");
    }
    CHECK(suites == std::vector<std::string>{"matrix[agents=2,hold=0us]",
                                             "matrix[agents=2,hold=20us]",
                                             "matrix[agents=4,hold=0us]"});
    CHECK(leftovers_of(report).empty());
}

TEST_CASE("the same --seed gives the same plan files byte for byte, and another seed does not",
          "[matrix][seed]") {
    TempDir dir("seed");
    const auto run_with = [&](const std::string& seed, const std::string& out) {
        const HarnessRun run = run_harness({"run", source_path(matrix_example), "--out", out,
                                            "--seed", seed, "--keep-run-dirs", "-q"},
                                           dir.path());
        INFO(run.out << run.err);
        CHECK(run.exit_code == 0);
        CHECK(leftovers_of(read_json(dir.path() / out / "results.json")).empty());
        return plan_files(dir.path() / out);
    };
    const auto first = run_with("42", "a");
    const auto again = run_with("42", "b");
    const auto other = run_with("43", "c");
    CHECK(first.size() == 2 + 2 + 4);
    CHECK(first == again);
    REQUIRE(other.size() == first.size());
    for (auto mine = first.begin(), theirs = other.begin(); mine != first.end(); ++mine, ++theirs) {
        CHECK(mine->first != theirs->first); // the run id is in the folder's name
        CHECK(mine->second != theirs->second);
    }
}

TEST_CASE("without --seed a random seed is drawn, printed and recorded", "[seed]") {
    TempDir dir("random-seed");
    write_file(dir.path(), "one.yaml", "agents: [{name: a, ops: [read]}]\n");
    const HarnessRun first = run_harness({"run", "one.yaml", "--out", "a"}, dir.path());
    const HarnessRun second = run_harness({"run", "one.yaml", "--out", "b"}, dir.path());
    REQUIRE(first.exit_code == 0);
    REQUIRE(second.exit_code == 0);
    const json a = read_json(dir.path() / "a/results.json");
    const json b = read_json(dir.path() / "b/results.json");
    CHECK(a.at("seed") != b.at("seed"));
    CHECK(first.out.find(", seed " + a.at("seed").get<std::string>() + ")\n") != std::string::npos);
    // Run ids stay the pid's and a random part: 13 hex digits.
    const std::string run_id = a["scenarios"][0].at("run_id");
    CHECK(run_id.size() == 13);
    CHECK(run_id.find_first_not_of("0123456789abcdef") == std::string::npos);

    // Decimal numbers that fit in 64 bits, nothing else: not -1 read as 2^64-1, not 2^64 cut to
    // 2^64-1, not hex.
    for (const char* bad : {"-1", "x", "", "0x10", "1e3", "18446744073709551616"}) {
        const HarnessRun run = run_harness({"run", "one.yaml", "--seed", bad}, dir.path());
        CHECK(run.exit_code == 2);
        CHECK(run.err == "--seed: '" + std::string(bad) +
                             "' is not a seed; expected a decimal number from 0 to "
                             "18446744073709551615\n");
    }
}

TEST_CASE("two live runs of one case and seed: the second refuses, exit 3", "[seed][names]") {
    TempDir dir("seed-busy");
    write_file(dir.path(), "sleeper.yaml", sleeper);
    HarnessRun second;
    const HarnessRun first =
        run_harness({"run", "sleeper.yaml", "--out", "first", "--seed", "5"}, dir.path(),
                    std::chrono::seconds(60), [&](int) {
                        REQUIRE(wait_for_agents(dir.path() / "first"));
                        // The same --out: the run directory by that name is the first run's.
                        second =
                            run_harness({"run", "sleeper.yaml", "--out", "first", "--seed", "5",
                                         "--json", "second.json", "--junit", "second.xml"},
                                        dir.path());
                    });
    INFO(first.out << first.err << second.out << second.err);
    CHECK(first.exit_code == 0);
    CHECK(second.exit_code == 3);
    CHECK(second.out.find("is in use by another ipc-harness run (pid " + std::to_string(first.pid) +
                          "); with --seed, a case's run id and names are the same in every "
                          "run: wait for the other run of this case and seed to end, or pass "
                          "another --seed") != std::string::npos);
    const json refused = read_json(dir.path() / "second.json");
    CHECK(refused["scenarios"][0].at("outcome") == "harness-error");
    CHECK(refused["scenarios"][0].at("run_dir") == ""); // the first run's folder, not its own
    CHECK(leftovers_of(read_json(dir.path() / "first/results.json")).empty());
}

TEST_CASE("a dead seeded run's leftovers are removed before its case runs again", "[seed][names]") {
    TempDir dir("seed-leftovers");
    write_file(dir.path(), "quick.yaml", "name: quick\nagents: [{name: a, ops: [read]}]\n");
    const std::vector<std::string> args = {"run",    "quick.yaml", "--out",          "out",
                                           "--seed", "9",          "--keep-run-dirs"};
    REQUIRE(run_harness(args, dir.path()).exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    const std::string run_id = report["scenarios"][0].at("run_id");
    const fs::path run_dir = report["scenarios"][0].at("run_dir").get<std::string>();
    // As a SIGKILLed controller leaves them: its objects, and a file in its run directory.
    for (const std::string& name :
         {"ipch-" + run_id + "-map", "sem.ipch-" + run_id + "-mtx", "ipch-" + run_id + "-ctl"})
        std::ofstream("/dev/shm/" + name) << "left behind";
    std::ofstream(run_dir / "stale.txt") << "from the dead run";

    const HarnessRun again = run_harness(args, dir.path());
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0); // creating its control object would fail on the leftover
    CHECK(leftovers_of(report).empty());
    CHECK_FALSE(fs::exists(run_dir / "stale.txt"));
    CHECK(fs::exists(run_dir / "a.plan.json"));
}

TEST_CASE("one case given twice with --seed runs twice under two run ids", "[seed][names]") {
    TempDir dir("seed-twice");
    write_file(dir.path(), "quick.yaml", "name: quick\nagents: [{name: a, ops: [read]}]\n");
    const HarnessRun run =
        run_harness({"run", "quick.yaml", "quick.yaml", "--out", "out", "--seed", "3"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    REQUIRE(report.at("scenarios").size() == 2);
    CHECK(report["scenarios"][0].at("seed") == report["scenarios"][1].at("seed"));
    CHECK(report["scenarios"][0].at("run_id") != report["scenarios"][1].at("run_id"));
}

TEST_CASE("an unknown command is named, with the commands there are", "[cli]") {
    TempDir dir("cli");
    const HarnessRun run = run_harness({"frob", "x.yaml"}, dir.path());
    CHECK(run.exit_code == 2);
    CHECK(run.err ==
          "ipc-harness: unknown command 'frob'; expected one of: run, list, validate, check, "
          "clean, conformance, stress, compare (see --help)\n");
}
