// The bundled scenarios and the harness's edges (bad input, timeouts, crashes, interrupts),
// through the real binaries.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char* const sleepers = R"(name: sleepers
timeout: 30s
agents:
  - name: sleeper
    count: 3
    ops:
      - write: "hello from {agent}"
      - sleep: 30s
)";

} // namespace

TEST_CASE("the classic two-app exchange passes", "[scenario][classic]") {
    TempDir dir("classic");
    const HarnessRun run = run_harness(
        {"run", source_path("scenarios/classic/two-apps.yaml"), "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    REQUIRE(report.at("scenarios").size() == 1);
    const json& scenario = report["scenarios"][0];
    CHECK(scenario.at("outcome") == "passed");
    for (const char* id : {"mutual-exclusion", "no-torn-read", "read-latest", "writer-order",
                           "delivery", "progress"})
        CHECK(property(scenario, id).at("verdict") == "pass");
    CHECK(fs::exists(dir.path() / "out/junit.xml"));
    // A passing run's directory is removed; nothing of the classic's names is left behind.
    CHECK(scenario.at("run_dir") == "");
    CHECK(leftovers(run).empty());
    CHECK_FALSE(fs::exists("/dev/shm/YourMemoryMappedFileName"));
    CHECK_FALSE(fs::exists("/dev/shm/sem.NonPersisterMemoryMappedFilemutex"));
}

TEST_CASE("the contention example passes and its no-mutex control is caught",
          "[scenario][control]") {
    TempDir dir("contention");
    const HarnessRun run =
        run_harness({"run", source_path("scenarios/examples/contention.yaml"),
                     source_path("scenarios/examples/no-mutex.yaml"), "--out", "out"},
                    dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    REQUIRE(report.at("scenarios").size() == 2);
    const json& contention = report["scenarios"][0];
    CHECK(contention.at("outcome") == "passed");
    CHECK(contention.at("critical_sections") == 4 * 2000 * 2);
    const json& control = report["scenarios"][1];
    CHECK(control.at("outcome") == "control-caught");
    const json& me = property(control, "mutual-exclusion");
    CHECK(me.at("verdict") == "fail");
    CHECK(me.at("met") == true);
    CHECK(me.at("violations").get<int>() > 0);
    REQUIRE_FALSE(me.at("evidence").empty());
    CHECK(me["evidence"][0].at("events").size() >= 1);
    CHECK(run.out.find("control caught") != std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("bad scenario files exit 2 with file:line:col and create nothing", "[bad-input]") {
    TempDir dir("bad");
    const std::string header = "name: bad\nagents:\n  - name: a\n    ops:\n";
    struct Case {
        const char* file;
        std::string text;
        const char* position; // expected "file:line:col: error:" tail
    };
    const std::vector<Case> cases = {
        {"syntax.yaml", "name: [unclosed\n", ":2:1: error: YAML syntax error"},
        {"unknown-op.yaml", header + "      - juggle: 3\n", ":5:9: error: unknown op 'juggle'"},
        {"negative-count.yaml", header + "      - repeat: {count: -5, ops: [read]}\n",
         ":5:25: error:"},
        {"parsecs.yaml", header + "      - sleep: 5 parsecs\n",
         ":5:16: error: invalid duration '5 parsecs'"},
        {"duplicate.yaml", "timeout: 1s\ntimeout: 2s\n" + header + "      - read\n",
         ":2:1: error: duplicate key 'timeout'"},
    };
    for (const Case& c : cases) {
        const std::string path = write_file(dir.path(), c.file, c.text);
        const HarnessRun run = run_harness({"run", path, "--out", "out"}, dir.path());
        INFO(c.file << "\n" << run.err);
        CHECK(run.exit_code == 2);
        CHECK(run.err.find(path + std::string(c.position)) != std::string::npos);
        CHECK(leftovers(run).empty());
    }
    const HarnessRun missing = run_harness({"run", "no-such-file.yaml"}, dir.path());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("no-such-file.yaml:1:1: error:") != std::string::npos);
    // Nothing ran, so no run directory; the reports name the bad file, for CI to show.
    CHECK_FALSE(fs::exists(dir.path() / "ipch-results/runs"));
    const json report = read_json(dir.path() / "ipch-results/results.json");
    CHECK(report.at("exit_code") == 2);
    CHECK(report["scenarios"][0].at("outcome") == "bad-input");
    CHECK(report["scenarios"][0].at("messages")[0].get<std::string>().find(
              "no-such-file.yaml:1:1: error:") == 0);
    CHECK(fs::exists(dir.path() / "ipch-results/junit.xml"));
    CHECK(leftovers(missing).empty());
}

TEST_CASE("command-line misuse exits 2", "[bad-input]") {
    TempDir dir("usage");
    CHECK(run_harness({"run"}, dir.path()).exit_code == 2);
    CHECK(run_harness({"frobnicate"}, dir.path()).exit_code == 2);
    CHECK(run_harness({"run", "x.yaml", "--no-such-flag"}, dir.path()).exit_code == 2);
    const HarnessRun help = run_harness({"--help"}, dir.path());
    CHECK(help.exit_code == 0);
    CHECK(help.out.find("run") != std::string::npos);
    const HarnessRun version = run_harness({"--version"}, dir.path());
    CHECK(version.exit_code == 0);
    CHECK(version.out.find("ipc-harness") != std::string::npos);
}

TEST_CASE("a run whose agents outlive the timeout is killed, reported and cleaned up",
          "[timeout]") {
    TempDir dir("timeout");
    std::string text = sleepers;
    text.replace(text.find("timeout: 30s"), 12, "timeout: 1s");
    const std::string path = write_file(dir.path(), "slow.yaml", text);
    const HarnessRun run = run_harness({"run", path, "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.seconds < 10);
    const json report = read_json(dir.path() / "out/results.json");
    const json& progress = property(report["scenarios"][0], "progress");
    CHECK(progress.at("verdict") == "fail");
    CHECK(progress.at("violations") == 3);
    for (const json& agent : report["scenarios"][0].at("agents"))
        CHECK(agent.at("end") == "killed-at-timeout");
    // The evidence says where each agent was, not only what it last finished.
    CHECK(progress.at("evidence")[0].at("summary").get<std::string>().find(
              "it was in '#2 sleep 30s'") != std::string::npos);
    // The failure keeps its run directory, with each agent's log, plan and output.
    const fs::path run_dir = report["scenarios"][0].at("run_dir").get<std::string>();
    CHECK(fs::exists(dir.path() / run_dir / "sleeper-1.events"));
    CHECK(fs::exists(dir.path() / run_dir / "sleeper-1.plan.json"));
    CHECK(agent_pids(dir.path().string()).empty());
    CHECK(leftovers(run).empty());
}

TEST_CASE("SIGINT mid-run kills the agents, removes every object and exits 130", "[signals]") {
    TempDir dir("sigint");
    const std::string path = write_file(dir.path(), "sleepers.yaml", sleepers);
    const HarnessRun run = run_harness(
        {"run", path, "--out", "out"}, dir.path(), std::chrono::seconds(60), [&](int pid) {
            // CHECK, not REQUIRE: the signal must be sent whatever happens here.
            CHECK(wait_for_agents(dir.path(), 3));
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            CHECK_FALSE(leftovers(pid).empty());
            ::kill(pid, SIGINT);
        });
    INFO(run.out << run.err);
    CHECK(run.exit_code == 130);
    CHECK(run.seconds < 20);
    // The partial results are still reported.
    const json report = read_json(dir.path() / "out/results.json");
    CHECK(report.at("interrupted") == true);
    CHECK(agent_pids(dir.path().string()).empty());
    CHECK(leftovers(run).empty());
}

TEST_CASE("SIGTERM mid-run is handled like SIGINT and exits 143", "[signals]") {
    TempDir dir("sigterm");
    const std::string path = write_file(dir.path(), "sleepers.yaml", sleepers);
    const HarnessRun run = run_harness({"run", path, "--out", "out"}, dir.path(),
                                       std::chrono::seconds(60), [&](int pid) {
                                           CHECK(wait_for_agents(dir.path(), 3));
                                           ::kill(pid, SIGTERM);
                                       });
    CHECK(run.exit_code == 143);
    CHECK(agent_pids(dir.path().string()).empty());
    CHECK(leftovers(run).empty());
}

TEST_CASE("an agent killed from outside is reported as crashed, with its history", "[crash]") {
    TempDir dir("crash");
    std::string text = sleepers;
    text.replace(text.find("timeout: 30s"), 12, "timeout: 3s");
    const std::string path = write_file(dir.path(), "sleepers.yaml", text);
    const HarnessRun run = run_harness(
        {"run", path, "--out", "out"}, dir.path(), std::chrono::seconds(60), [&](int harness) {
            CHECK(wait_for_agents(dir.path(), 3));
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            const auto pids = agent_pids(dir.path().string(), "sleeper-2.plan.json");
            CHECK(pids.size() == 1);
            for (int agent : pids)
                ::kill(agent, SIGKILL);
            // The supervisor reaps a crashed agent while the others still run: no zombie stays.
            bool reaped = false;
            for (int i = 0; i < 200 && !reaped; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
                reaped = zombie_children(harness) == 0;
            }
            CHECK(reaped);
            CHECK(agent_pids(dir.path().string()).size() == 2);
        });
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const json report = read_json(dir.path() / "out/results.json");
    const json& agents = report["scenarios"][0].at("agents");
    CHECK(agents[1].at("end") == "crashed");
    CHECK(agents[1].at("signal") == SIGKILL);
    // Its write before the crash survived in its log.
    CHECK(agents[1].at("events") == 2);
    CHECK(run.out.find("sleeper-2") != std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("a fixed name that already exists is refused unless the scenario reuses it", "[names]") {
    TempDir dir("fixed");
    // Fixed names may not start with ipch- (reserved), so the test's leftover uses another.
    const std::string fixed = "harness-it-" + std::to_string(::getpid());
    const std::string scenario = "name: fixed\nmapping: {name: " + fixed +
                                 ", size: 100}\nagents:\n  - name: a\n    ops:\n      - write: x\n";
    const std::string path = write_file(dir.path(), "fixed.yaml", scenario);
    write_file("/dev/shm", fixed, std::string(100, '\0'));

    const HarnessRun refused = run_harness({"run", path, "--out", "out"}, dir.path());
    INFO(refused.out << refused.err);
    CHECK(refused.exit_code == 3);
    CHECK(refused.out.find("already exists") != std::string::npos);
    CHECK(fs::exists("/dev/shm/" + fixed)); // not ours to remove

    // With reuse, the run uses the object and leaves it where it found it: it is not the run's.
    const std::string reuse = write_file(dir.path(), "reuse.yaml", "reuse: true\n" + scenario);
    const HarnessRun reused = run_harness({"run", reuse, "--out", "out"}, dir.path());
    INFO(reused.out << reused.err);
    CHECK(reused.exit_code == 0);
    CHECK(fs::exists("/dev/shm/" + fixed));
    fs::remove("/dev/shm/" + fixed);
}

TEST_CASE("concurrent runs of one fixed-name scenario: one runs, the others refuse", "[names]") {
    TempDir dir("concurrent");
    std::vector<std::thread> threads;
    std::vector<HarnessRun> runs(4);
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const fs::path cwd = dir.path() / std::to_string(i);
        fs::create_directories(cwd);
        threads.emplace_back([&runs, i, cwd] {
            runs[i] = run_harness(
                {"run", source_path("scenarios/classic/two-apps.yaml"), "--out", "out", "-q"}, cwd);
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    int passed = 0, refused = 0;
    for (const HarnessRun& run : runs) {
        INFO(run.out << run.err);
        if (run.exit_code == 0) ++passed;
        if (run.exit_code == 3) {
            ++refused;
            const bool busy =
                run.out.find("in use by another ipc-harness run") != std::string::npos;
            const bool exists = run.out.find("already exists") != std::string::npos;
            CHECK((busy || exists));
        }
        CHECK(leftovers(run).empty());
    }
    // None fails as if the IPC were broken: each either passes or refuses to start.
    CHECK(passed + refused == 4);
    CHECK(passed >= 1);
    CHECK_FALSE(fs::exists("/dev/shm/YourMemoryMappedFileName"));
}

TEST_CASE("a reused mapping's leftover stamp and owner word are not this run's violations",
          "[names]") {
    TempDir dir("stale");
    const std::string fixed = "harness-it-stale-" + std::to_string(::getpid());
    // As a holder of an earlier run left it: stamp 7, owner word set, an old message.
    std::string mapping(100, '\0');
    mapping[0] = 7;
    mapping[8] = 0x63;
    mapping[10] = 0x63;
    write_file("/dev/shm", fixed, mapping);
    const std::string path =
        write_file(dir.path(), "stale.yaml",
                   "reuse: true\nmapping: {name: " + fixed +
                       ", size: 100}\nagents:\n  - name: a\n    ops:\n      - write: x\n"
                       "      - read: {expect: x}\n");
    const HarnessRun run = run_harness({"run", path, "--out", "out", "-v"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    fs::remove("/dev/shm/" + fixed);
}

TEST_CASE("an agent that cannot set itself up makes the run a harness error", "[harness-error]") {
    TempDir dir("setup");
    const std::string agent =
        write_file(dir.path(), "broken-agent.sh",
                   "#!/bin/sh\necho 'cannot create event log: No space left on device' >&2\n"
                   "exit 3\n");
    fs::permissions(agent, fs::perms::owner_all);
    const std::string path =
        write_file(dir.path(), "one.yaml", "agents:\n  - name: a\n    ops:\n      - read\n");
    const HarnessRun run = run_harness({"run", path, "--out", "out", "--agent", agent}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 3);
    CHECK(run.out.find("No space left on device") != std::string::npos);

    const HarnessRun missing =
        run_harness({"run", path, "--out", "out", "--agent", "/nonexistent/ipc-agent"}, dir.path());
    INFO(missing.out << missing.err);
    CHECK(missing.exit_code == 3);
    CHECK(missing.out.find("cannot run the agent '/nonexistent/ipc-agent'") != std::string::npos);
    CHECK(leftovers(missing).empty());
}

TEST_CASE("Ctrl-C on a terminal reaches the harness alone: agents are stopped, not crashed",
          "[signals]") {
    TempDir dir("ctrl-c");
    const std::string path = write_file(dir.path(), "sleepers.yaml", sleepers);
    HarnessOptions options;
    options.own_process_group = true;
    options.while_running = [&](int pid) {
        CHECK(wait_for_agents(dir.path(), 3));
        ::kill(-pid, SIGINT); // the terminal signals the whole foreground process group
    };
    const HarnessRun run = run_harness({"run", path, "--out", "out"}, dir.path(), options);
    INFO(run.out << run.err);
    CHECK(run.exit_code == 130);
    const json report = read_json(dir.path() / "out/results.json");
    for (const json& agent : report["scenarios"][0].at("agents"))
        CHECK(agent.at("end") == "killed-by-harness");
    CHECK(agent_pids(dir.path().string()).empty());
    CHECK(leftovers(run).empty());
}

TEST_CASE("a scenario name cannot lead the run directory out of --out", "[names]") {
    TempDir dir("escape");
    const std::string path =
        write_file(dir.path(), "escape.yaml",
                   "name: ../../escaped/x\nagents:\n  - name: a\n    ops:\n      - sleep: 1ms\n");
    const HarnessRun run =
        run_harness({"run", path, "--out", "out", "--keep-run-dirs"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    const std::string run_dir = report["scenarios"][0].at("run_dir");
    CHECK(run_dir.rfind((dir.path() / "out/runs/").string(), 0) == 0);
    CHECK(run_dir.find("..") == std::string::npos);
}

TEST_CASE("with both reports named elsewhere, a passing run leaves no empty --out folder",
          "[reports]") {
    TempDir dir("reports-elsewhere");
    const HarnessRun run = run_harness({"run", source_path("scenarios/classic/two-apps.yaml"),
                                        "--junit", "j.xml", "--json", "r.json", "-q"},
                                       dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(fs::exists(dir.path() / "j.xml"));
    CHECK(fs::exists(dir.path() / "r.json"));
    CHECK_FALSE(fs::exists(dir.path() / "ipch-results"));
}
