// External agents through the real harness: the Python agent beside built-in agents under one
// file_lock (and its negative control), the built-in file_lock, and how a plan reaches an
// external program.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <unistd.h>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const json& agent(const json& scenario, const std::string& name) {
    return report_entry(scenario, "agents", "name", name);
}

} // namespace

TEST_CASE("a Python agent beside built-in agents under one file_lock passes, and unlocked, caught",
          "[external][python][control]") {
    TempDir dir("external-python");
    const HarnessRun run =
        run_harness({"run", source_path("scenarios/examples/external-python.yaml"),
                     source_path("tests/data/external/python-skips-lock.yaml"), "--out", "out",
                     "--keep-run-dirs"},
                    dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    REQUIRE(report.at("scenarios").size() == 2);

    const json& mixed = report["scenarios"][0];
    CHECK(mixed.at("outcome") == "passed");
    // 3 agents x 1500 x {write, read}: the Python agent's events are in the history too.
    CHECK(mixed.at("critical_sections") == 3 * 1500 * 2);
    // The open, then the ops: the workers' third op is a sleep.
    for (const auto& [name, events] :
         {std::pair{"py", 1 + 1500 * 2}, {"worker-1", 1 + 1500 * 3}, {"worker-2", 1 + 1500 * 3}}) {
        INFO(name);
        CHECK(agent(mixed, name).at("end") == "finished");
        CHECK(agent(mixed, name).at("events") == events);
        CHECK(agent(mixed, name).at("log_damage") == "");
    }
    for (const char* id :
         {"mutual-exclusion", "no-torn-read", "read-latest", "writer-order", "progress"})
        CHECK(property(mixed, id).at("verdict") == "pass");
    // They ran side by side, not one after the other: the Python agent read what the built-in
    // agents wrote (agent ids 2 and 3), checksums and all.
    std::size_t reads_of_builtin_writes = 0;
    std::istringstream events(
        read_text(fs::path(mixed.at("run_dir").get<std::string>()) / "py.events.jsonl"));
    for (std::string line; std::getline(events, line);) {
        const json event = json::parse(line);
        if (event.value("kind", "") == "read" && event.value("msg_writer", 0) > 1)
            ++reads_of_builtin_writes;
    }
    CHECK(reads_of_builtin_writes > 0);

    const json& control = report["scenarios"][1];
    CHECK(control.at("outcome") == "control-caught");
    const json& me = property(control, "mutual-exclusion");
    CHECK(me.at("verdict") == "fail");
    CHECK(me.at("violations").get<int>() > 0);
    CHECK(leftovers(run).empty());
}

TEST_CASE("the built-in agent's file_lock keeps mutual exclusion and leaves no lock file",
          "[external][file_lock]") {
    TempDir dir("file-lock");
    const HarnessRun run = run_harness(
        {"run", source_path("scenarios/examples/file-lock.yaml"), "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    const json& scenario = report.at("scenarios").at(0);
    CHECK(scenario.at("outcome") == "passed");
    CHECK(scenario.at("critical_sections") == 4 * 2000 * 2);
    CHECK(property(scenario, "mutual-exclusion").at("verdict") == "pass");
    // The lock file is /dev/shm/ipch-<run>-mtx: leftovers() would list it.
    CHECK(leftovers(run).empty());
}

TEST_CASE("a Python agent and a built-in agent exchange lines, hold and sleep under file_lock",
          "[external][python]") {
    TempDir dir("python-classic");
    const HarnessRun run =
        run_harness({"run", source_path("tests/data/external/python-classic.yaml"), "--out", "out"},
                    dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    const json& scenario = report.at("scenarios").at(0);
    CHECK(scenario.at("outcome") == "passed");
    CHECK(property(scenario, "delivery").at("verdict") == "pass");
    CHECK(agent(scenario, "app1").at("log_damage") == "");
    CHECK(leftovers(run).empty());
}

TEST_CASE("an external agent gets its plan as its last argument and in IPCH_PLAN", "[external]") {
    TempDir dir("external-args");
    // An agent that only tells what it was given, then leaves without opening anything.
    const std::string seen = (dir.path() / "seen.txt").string();
    const std::string script = write_file(
        dir.path(), "tell.sh",
        "#!/bin/sh\n{ echo \"args: $*\"; echo \"plan: $IPCH_PLAN\";"
        " echo \"harness: $IPCH_HARNESS_PID\"; } > " +
            seen + "\ncp \"$IPCH_PLAN\" " + (dir.path() / "plan.json").string() + "\nexit 0\n");
    fs::permissions(script, fs::perms::owner_all);
    const std::string scenario = write_file(dir.path(), "tell.yaml",
                                            "agents:\n  - name: teller\n"
                                            "    command: [./tell.sh, --flag, two words]\n"
                                            "    ops:\n      - read\n");
    const HarnessRun run = run_harness({"run", scenario, "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    // It ran no op and wrote no event: the run fails (progress), it does not crash or hang.
    CHECK(run.exit_code == 1);
    CHECK(leftovers(run).empty());

    std::istringstream lines(read_text(seen));
    std::string args, plan, harness;
    std::getline(lines, args);
    std::getline(lines, plan);
    std::getline(lines, harness);
    const std::string plan_path = plan.substr(std::string("plan: ").size());
    CHECK(fs::path(plan_path).is_absolute());
    CHECK(fs::path(plan_path).filename() == "teller.plan.json");
    CHECK(args == "args: --flag two words " + plan_path);
    CHECK(harness == "harness: " + std::to_string(run.pid));

    const json given = read_json(dir.path() / "plan.json");
    CHECK(given.at("log").at("path") == "teller.events.jsonl");
    CHECK(given.at("log").at("format") == "jsonl");
    CHECK(given.at("mutex").at("kind") == "named_mutex");
    const json report = read_json(dir.path() / "out/results.json");
    CHECK(agent(report.at("scenarios").at(0), "teller").at("log_damage") == "no event log");
}

TEST_CASE("a plan the Python agent cannot run makes the run a harness error, with its reason",
          "[external][python][harness-error]") {
    TempDir dir("python-refuses");
    const std::string scenario = write_file(
        dir.path(), "refused.yaml",
        "mutex:\n  kind: named_mutex\nagents:\n  - name: py\n    command: [" +
            source_path("agents/python/python_agent.py") + "]\n    ops:\n      - read\n");
    const HarnessRun run = run_harness({"run", scenario, "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 3);
    CHECK(run.out.find("agent 'py' could not set up (exit 2): python_agent py: mutex kind "
                       "'named_mutex' is not supported by the Python agent") != std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("an external agent's damaged event file is reported, its valid events kept",
          "[external][python]") {
    TempDir dir("external-damage");
    // The Python agent, changed to end its event file badly: `ending` replaces its close().
    const auto agent_that = [&](const std::string& name, const std::string& ending) {
        const std::string path = write_file(
            dir.path(), name,
            "#!/usr/bin/env python3\nimport os, sys\nsys.path.insert(0, '" +
                source_path("agents/python") +
                "')\nimport python_agent as agent\n"
                "def close(self, status):\n" +
                ending + "\nagent.EventFile.close = close\nsys.exit(agent.main(sys.argv))\n");
        fs::permissions(path, fs::perms::owner_all);
        return path;
    };
    agent_that("no-status.py", "    os.close(self.fd)");
    agent_that("cut-short.py", "    os.write(self.fd, b'{\"op_id\": 3, \"ki')");
    const std::string scenario = write_file(dir.path(), "damage.yaml",
                                            "mutex: {kind: file_lock}\nagents:\n"
                                            "  - name: quiet\n    command: [./no-status.py]\n"
                                            "    ops: [write: a, read]\n"
                                            "  - name: cut\n    command: [./cut-short.py]\n"
                                            "    ops: [write: b, read]\n");
    const HarnessRun run = run_harness({"run", scenario, "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const json report = read_json(dir.path() / "out/results.json");
    const json& result = report.at("scenarios").at(0);
    CHECK(property(result, "progress").at("verdict") == "fail");
    const json& quiet = agent(result, "quiet");
    CHECK(quiet.at("events") == 3); // open, write, read: all kept
    CHECK(quiet.at("log_damage") ==
          "the agent exited 0, but its event file does not end with {\"status\": \"finished\"}");
    const json& cut = agent(result, "cut");
    CHECK(cut.at("events") == 3);
    CHECK(cut.at("log_damage") == "line 4: truncated: the last line ends mid-event");
    CHECK(leftovers(run).empty());
}

TEST_CASE("a fixed-name lock file that already exists is refused unless reused, and then kept",
          "[external][file_lock][names]") {
    TempDir dir("fixed-lock");
    const std::string fixed = "harness-lock-" + std::to_string(::getpid());
    const std::string scenario = "name: fixed-lock\nmutex: {kind: file_lock, name: " + fixed +
                                 "}\nagents:\n  - name: a\n    ops:\n      - write: x\n";
    const std::string path = write_file(dir.path(), "fixed.yaml", scenario);
    write_file("/dev/shm", fixed, "");

    const HarnessRun refused = run_harness({"run", path, "--out", "out"}, dir.path());
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code == 3);
    CHECK(refused.out.find("the mutex '" + fixed + "' already exists") != std::string::npos);
    CHECK(refused.out.find("(rm /dev/shm/" + fixed + ")") != std::string::npos);
    CHECK(fs::exists("/dev/shm/" + fixed));

    const std::string reuse = write_file(dir.path(), "reuse.yaml", "reuse: true\n" + scenario);
    const HarnessRun reused = run_harness({"run", reuse, "--out", "out"}, dir.path());
    INFO(reused.out << reused.err);
    CHECK(reused.exit_code == 0);
    CHECK(fs::exists("/dev/shm/" + fixed)); // not the run's: left where it was found
    fs::remove("/dev/shm/" + fixed);

    // Created by the run, it is the run's: removed at the end.
    const HarnessRun fresh = run_harness({"run", path, "--out", "out"}, dir.path());
    INFO(fresh.out << fresh.err);
    CHECK(fresh.exit_code == 0);
    CHECK_FALSE(fs::exists("/dev/shm/" + fixed));
}
