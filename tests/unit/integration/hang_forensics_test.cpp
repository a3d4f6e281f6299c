// Hang forensics (docs/reports.md): a run that times out says who holds the lock, what each
// agent was doing and for how long, and whether the holder was alive, in every report.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <regex>
#include <thread>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// `holder` takes the lock and keeps it for a minute; `waiter` asks for it. The run's timeout is
// one second.
const char* const held_forever = R"(name: held-forever
timeout: 1s
agents:
  - name: holder
    ops:
      - lock
      - hold: 60s
      - unlock
  - name: waiter
    ops:
      - sleep: 100ms
      - write: "never written"
)";

// Nobody holds the lock: both sleep outside it past the timeout.
const char* const sleep_forever = R"(name: sleep-forever
timeout: 1s
agents:
  - name: sleeper
    count: 2
    ops:
      - sleep: 60s
)";

const json& forensics_agent(const json& hang, const std::string& name) {
    for (const json& agent : hang.at("agents"))
        if (agent.at("name") == name) return agent;
    FAIL("no forensics for agent " << name);
    throw;
}

// The ```text block of docs/reports.md's "Hang forensics" section: the console lines it shows,
// of a run of held_forever.
std::vector<std::string> documented_forensics() {
    std::ifstream in(source_path("docs/reports.md"));
    std::vector<std::string> lines;
    bool section = false, block = false;
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("## "))
            section = line == "## Hang forensics";
        else if (section && line == "```text")
            block = true;
        else if (block && line == "```")
            break;
        else if (block)
            lines.push_back(line);
    }
    return lines;
}

// Times and the owner word differ from run to run.
std::string blank_figures(const std::string& text) {
    static const std::regex seconds(R"(\d+\.\d{3} s)"), word("0x[0-9a-f]{8}");
    return std::regex_replace(std::regex_replace(text, seconds, "* s"), word, "0x*");
}

} // namespace

TEST_CASE("a timeout names the agent that holds the lock, alive, and what the others wait for",
          "[forensics]") {
    TempDir dir("hang-held");
    write_file(dir.path(), "held.yaml", held_forever);
    const HarnessRun run =
        run_harness({"run", "held.yaml", "--out", "out"}, dir.path(), std::chrono::seconds(30));
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 1);
    CHECK(run.seconds < 1 + 3.0); // the timeout and a grace: never the holder's minute
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    const json& hang = scenario.at("hang");
    REQUIRE(hang.is_object());
    CHECK(hang.at("timeout_s") == 1.0);
    CHECK(hang.at("holder") == "holder");
    CHECK(hang.at("holder_from") == "owner word");
    CHECK(hang.at("holder_alive") == true);
    const json& holder = forensics_agent(hang, "holder");
    CHECK(holder.at("op").get<std::string>().find("hold") != std::string::npos);
    CHECK(holder.at("last_event") == "lock ok");
    CHECK(holder.at("alive") == true);
    const json& waiter = forensics_agent(hang, "waiter");
    CHECK(waiter.at("op").get<std::string>().find("write") != std::string::npos);
    CHECK(waiter.at("last_event") == "sleep ok");
    // It asked for the lock after its 100 ms sleep and waited until the timeout.
    CHECK(waiter.at("waiting_s").get<double>() > 0.5);
    CHECK(waiter.at("waiting_s").get<double>() < 1.5);
    CHECK(waiter.at("alive") == true);
    CHECK(run.out.find("timeout after 1.000 s: holder holds the lock (owner word 0x") !=
          std::string::npos);
    CHECK(run.out.find("waiter: running, at #2 write") != std::string::npos);
    // The docs' example is this run's console output, times and the owner word aside.
    const std::vector<std::string> documented = documented_forensics();
    REQUIRE(documented.size() == 3);
    for (const std::string& line : documented)
        CHECK(blank_figures(run.out).find(blank_figures("  " + line + "\n")) != std::string::npos);
    const std::string junit = read_text(dir.path() / "out/junit.xml");
    CHECK(junit.find("<system-out>timeout after 1.000 s: holder holds the lock") !=
          std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("a SIGSTOPped holder ends as a timeout within the timeout, reported stopped and alive",
          "[forensics][chaos]") {
    TempDir dir("hang-stopped");
    write_file(dir.path(), "held.yaml", held_forever);
    const HarnessRun run =
        run_harness({"run", "held.yaml", "--out", "out"}, dir.path(),
                    HarnessOptions{std::chrono::seconds(30),
                                   [&](int) {
                                       REQUIRE(wait_for_agents(dir.path(), 2));
                                       std::this_thread::sleep_for(std::chrono::milliseconds(200));
                                       for (int pid : agent_pids(dir.path().string(), "holder"))
                                           ::kill(pid, SIGSTOP);
                                   },
                                   false});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 1);
    CHECK(run.seconds < 1 + 3.0);
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    const json& hang = scenario.at("hang");
    CHECK(hang.at("holder") == "holder");
    CHECK(hang.at("holder_alive") == true);
    CHECK(forensics_agent(hang, "holder").at("process") == "stopped");
    CHECK(report_entry(scenario, "agents", "name", "holder").at("end") == "killed-at-timeout");
    // The stopped agent was killed and reaped: nothing of the run is left.
    CHECK(agent_pids(dir.path().string()).empty());
    CHECK(zombie_children(run.pid) == 0);
    CHECK(leftovers(run).empty());
}

TEST_CASE("a timeout with nobody inside the lock names no holder", "[forensics]") {
    TempDir dir("hang-sleep");
    write_file(dir.path(), "sleep.yaml", sleep_forever);
    const HarnessRun run =
        run_harness({"run", "sleep.yaml", "--out", "out"}, dir.path(), std::chrono::seconds(30));
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 1);
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    const json& hang = scenario.at("hang");
    REQUIRE(hang.is_object());
    CHECK(hang.at("holder").is_null());
    CHECK(hang.at("owner_word") == "0x00000000");
    CHECK(forensics_agent(hang, "sleeper-1").at("op").get<std::string>().find("sleep") !=
          std::string::npos);
    CHECK(run.out.find("no agent holds the lock") != std::string::npos);
}

TEST_CASE("a run that ends in time has no forensics", "[forensics]") {
    TempDir dir("hang-none");
    const HarnessRun run = run_harness(
        {"run", source_path("scenarios/examples/contention.yaml"), "--out", "out"}, dir.path());
    REQUIRE(run.exit_code == 0);
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    CHECK(scenario.at("hang").is_null());
    CHECK(scenario.at("chaos").empty());
}
