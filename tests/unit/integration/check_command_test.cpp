// `ipc-harness check RUN_DIR`: a kept run directory judged again from its plans and event logs,
// damaged logs read up to their last valid record and the damage reported, never a crash.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace ipch::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Runs the bundled crash example with its run directory kept, and returns that directory.
fs::path kept_run(const TempDir& dir, const std::string& scenario) {
    const HarnessRun run = run_harness(
        {"run", source_path(scenario), "--out", "out", "--keep-run-dirs", "-q"}, dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    std::vector<fs::path> runs;
    for (const auto& entry : fs::directory_iterator(dir.path() / "out/runs"))
        runs.push_back(entry.path());
    REQUIRE(runs.size() == 1);
    return runs.front();
}

void truncate_to(const fs::path& file, std::uintmax_t bytes) {
    fs::resize_file(file, bytes);
}

void overwrite(const fs::path& file, std::streamoff at, const std::string& bytes) {
    std::fstream out(file, std::ios::in | std::ios::out | std::ios::binary);
    out.seekp(at);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

TEST_CASE("check judges a kept run again, with how each agent ended", "[check-command]") {
    TempDir dir("check-kept");
    // Two agents, one crashes holding the lock on purpose: agents.json must carry that end.
    const fs::path run_dir = kept_run(dir, "scenarios/examples/crash.yaml");
    REQUIRE(fs::exists(run_dir / "agents.json"));
    const HarnessRun check =
        run_harness({"check", run_dir.string(), "--json", "check.json"}, dir.path());
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("crashed") != std::string::npos);
    CHECK(check.out.find("note:") == std::string::npos); // agents.json was there
    const json scenario = read_json(dir.path() / "check.json").at("scenarios").at(0);
    CHECK(scenario.at("outcome") == "passed");
    CHECK(property(scenario, "mutual-exclusion").at("verdict") == "pass");
    CHECK(property(scenario, "progress").at("verdict") == "pass"); // the crash was planned
}

TEST_CASE("check writes the HTML page, the trace and the Markdown summary of a kept run",
          "[check-command]") {
    TempDir dir("check-reports");
    const fs::path run_dir = kept_run(dir, "scenarios/examples/crash.yaml");
    const HarnessRun check =
        run_harness({"check", run_dir.string(), "--html", "page.html", "--trace", "trace.json",
                     "--markdown", "summary.md", "-q"},
                    dir.path());
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    // The page draws the run's lock-ownership timeline.
    const std::string page = read_text(dir.path() / "page.html");
    CHECK(page.find("<h4>Lock ownership</h4><div class=\"timeline\"") != std::string::npos);
    // The trace: a hold per section, and the planned crash as an instant.
    const json trace = read_json(dir.path() / "trace.json");
    std::size_t holds = 0, crashes = 0;
    for (const json& event : trace.at("traceEvents")) {
        holds += event.at("name") == "hold" && event.at("ph") == "X";
        crashes += event.at("name") == "crash" && event.at("ph") == "i";
    }
    CHECK(holds > 0);
    CHECK(crashes == 1);
    CHECK(read_text(dir.path() / "summary.md").starts_with("## "));
}

TEST_CASE("check reads truncated and corrupted logs up to the damage and reports it",
          "[check-command]") {
    TempDir dir("check-damaged");
    const fs::path run_dir = kept_run(dir, "scenarios/examples/thresholds.yaml");
    // worker-1: cut mid-record after 100 records; worker-2: a wrong magic; worker-3: a
    // committed count far beyond the file.
    truncate_to(run_dir / "worker-1.events", 256 + 96 * 100 + 40);
    overwrite(run_dir / "worker-2.events", 0, "XXXX");
    overwrite(run_dir / "worker-3.events", 32, std::string("\xff\xff\xff\x0f\0\0\0\0", 8));
    const HarnessRun check =
        run_harness({"check", run_dir.string(), "--json", "check.json"}, dir.path());
    INFO(check.out << check.err);
    CHECK(check.exit_code == 1); // the damage fails progress; nothing crashed
    CHECK(check.out.find("agent 1 worker-1: 100 events, finished; event log damaged: truncated") !=
          std::string::npos);
    CHECK(check.out.find("agent 2 worker-2: 0 events, finished; event log damaged: bad magic") !=
          std::string::npos);
    CHECK(check.out.find("agent 3 worker-3: ") != std::string::npos);
    const json scenario = read_json(dir.path() / "check.json").at("scenarios").at(0);
    CHECK(property(scenario, "progress").at("verdict") == "fail");
    // Records lost from damaged logs explain the gaps they leave in the stamps (when worker-1
    // ran last, its lost records leave no gap at all).
    CHECK(property(scenario, "mutual-exclusion").at("verdict") == "pass");
    std::size_t damaged = 0;
    for (const json& agent : scenario.at("agents"))
        damaged += agent.at("log_damage").get<std::string>().empty() ? 0 : 1;
    CHECK(damaged == 3);
}

TEST_CASE("check without agents.json takes each agent's end from its log", "[check-command]") {
    TempDir dir("check-no-ends");
    const fs::path run_dir = kept_run(dir, "scenarios/examples/thresholds.yaml");
    fs::remove(run_dir / "agents.json");
    const HarnessRun check = run_harness({"check", run_dir.string()}, dir.path());
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    CHECK(check.out.find("note: no agents.json: an agent whose event log says it finished counts "
                         "as finished, any other as crashed") != std::string::npos);
}

TEST_CASE("check of a folder that is no run directory is bad input", "[check-command]") {
    TempDir dir("check-bad");
    const HarnessRun empty = run_harness({"check", dir.path().string()}, dir.path());
    CHECK(empty.exit_code == 2);
    CHECK(empty.err == "ipc-harness: " + dir.path().string() +
                           ": no agent plans (*.plan.json); not a run directory\n");
    const HarnessRun missing = run_harness({"check", "no-such-dir"}, dir.path());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err == "ipc-harness: no-such-dir: not a directory\n");
    write_file(dir.path(), "a.plan.json", "{not json");
    const HarnessRun garbled = run_harness({"check", dir.path().string()}, dir.path());
    CHECK(garbled.exit_code == 2);
    CHECK(garbled.err.find("a.plan.json: not a plan file: ") != std::string::npos);
}
