// `ipc-harness clean`: a SIGKILLed controller's objects are a dead run's and are removed; a live
// run beside it is listed as live and never touched, and finishes as if nothing happened.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <thread>
#include <unistd.h>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

const std::string sleepy = "name: sleepy\n"
                           "timeout: 30s\n"
                           "agents:\n"
                           "  - name: sleeper\n"
                           "    ops:\n"
                           "      - write: \"{agent} here\"\n"
                           "      - sleep: 3s\n";

// Waits (up to 10 s) until the harness `pid` has made its objects.
bool objects_appear(int pid) {
    for (int i = 0; i < 1000; ++i) {
        if (leftovers(pid).size() >= 2) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("clean removes a dead run's objects and never a live run's", "[clean]") {
    TempDir dir("clean");
    write_file(dir.path(), "sleepy.yaml", sleepy);

    // A dead run: its controller SIGKILLed once its objects exist, as a crash or an OOM kill
    // would; nothing of it can clean up (its agents die with it).
    const HarnessRun dead = run_harness({"run", "sleepy.yaml", "--out", "dead", "-q"}, dir.path(),
                                        std::chrono::seconds(30), [](int pid) {
                                            if (objects_appear(pid)) ::kill(pid, SIGKILL);
                                        });
    const std::vector<std::string> dead_objects = leftovers(dead.pid);
    REQUIRE(dead_objects.size() >= 2); // the mapping, the mutex's semaphore, the control object

    HarnessRun dry_run;
    HarnessRun clean;
    std::vector<std::string> live_objects_during;
    std::vector<std::string> dead_after_dry_run;
    const HarnessRun live = run_harness(
        {"run", "sleepy.yaml", "--out", "live", "-q"}, dir.path(), std::chrono::seconds(30),
        [&](int pid) {
            if (!objects_appear(pid)) return;
            dry_run = run_harness({"clean", "--dry-run"}, dir.path(), std::chrono::seconds(30));
            dead_after_dry_run = leftovers(dead.pid);
            clean = run_harness({"clean"}, dir.path(), std::chrono::seconds(30));
            live_objects_during = leftovers(pid);
        });

    INFO("dry run:\n" << dry_run.out << dry_run.err << "clean:\n" << clean.out << clean.err);
    CHECK(dry_run.exit_code == 0);
    for (const std::string& object : dead_objects)
        CHECK(contains(dry_run.out, "  /dev/shm/" + object + "\n"));
    CHECK(contains(dry_run.out, "nothing removed (--dry-run)"));
    CHECK(dead_after_dry_run == dead_objects); // the dry run removed nothing
    CHECK(contains(dry_run.out, "live run "));
    CHECK(contains(dry_run.out, "left alone (its registry lock is held"));

    CHECK(clean.exit_code == 0);
    CHECK(leftovers(dead.pid).empty());     // the dead run's objects are gone
    CHECK(live_objects_during.size() >= 2); // the live run's were not touched
    for (const std::string& object : live_objects_during)
        CHECK_FALSE(contains(clean.out, object + "\n"));
    CHECK(live.exit_code == 0); // and it finished as if nothing happened
    CHECK(leftovers(live).empty());
}

TEST_CASE("a run removes what a dead run left under its fixed names, and nothing else", "[clean]") {
    TempDir dir("clean-fixed");
    const std::string map = "fixedclean-" + std::to_string(::getpid()) + "-map";
    const std::string mtx = "fixedclean-" + std::to_string(::getpid()) + "-mtx";
    write_file(dir.path(), "fixed.yaml",
               "name: fixed\ntimeout: 30s\nmapping: {name: " + map + ", size: 256}\n" +
                   "mutex: {name: " + mtx + "}\n" + sleepy.substr(sleepy.find("agents:")));
    const fs::path map_file = "/dev/shm/" + map;
    const fs::path mtx_file = "/dev/shm/sem." + mtx;

    // A controller SIGKILLed mid-run leaves its fixed-name objects behind.
    run_harness({"run", "fixed.yaml", "--out", "dead", "-q"}, dir.path(), std::chrono::seconds(30),
                [&](int pid) {
                    for (int i = 0; i < 1000 && !(fs::exists(map_file) && fs::exists(mtx_file));
                         ++i)
                        std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    ::kill(pid, SIGKILL);
                });
    REQUIRE(fs::exists(map_file));
    REQUIRE(fs::exists(mtx_file));

    // The next run finds them recorded as that dead run's, removes them and runs.
    const HarnessRun again = run_harness({"run", "fixed.yaml", "--out", "again", "-q"}, dir.path());
    INFO(again.out << again.err);
    CHECK(again.exit_code == 0);
    CHECK_FALSE(fs::exists(map_file));
    CHECK_FALSE(fs::exists(mtx_file));

    // An object under that name that no run recorded (another program's) is refused, untouched.
    { std::ofstream(map_file) << "not ours"; }
    const HarnessRun refused =
        run_harness({"run", "fixed.yaml", "--out", "refused", "-q"}, dir.path());
    CHECK(refused.exit_code == 3);
    CHECK(contains(refused.out + refused.err, "'" + map + "' already exists"));
    CHECK(fs::exists(map_file));
    fs::remove(map_file);
    // The dead run's control object is `clean`'s to remove.
    CHECK(run_harness({"clean"}, dir.path()).exit_code == 0);
}

// A reader that goes away (`| head`, `| true`) closes the controller's output pipe while a case
// still runs; the controller's next write must not kill it before its clean-up.
TEST_CASE("a closed output pipe does not stop the controller from cleaning up", "[clean]") {
    TempDir dir("clean-pipe");
    const fs::path pid_file = dir.path() / "harness.pid";
    // The spin lock's abandoned case deadlocks and warns at its timeout, mid-run: a write to the
    // pipe `true` has closed long before.
    const std::string command =
        "cd '" + dir.path().string() + "' && { '" + std::string(IPCH_BIN_DIR) +
        "/ipc-harness' conformance --backends spin/shm --suite '" +
        source_path("scenarios/conformance/abandoned-lock.yaml") +
        "' --out out 2>&1 & echo $! > '" + pid_file.string() + "'; wait; } | true";
    REQUIRE(std::system(command.c_str()) == 0);
    const int pid = std::stoi(read_text(pid_file));
    CHECK(leftovers(pid).empty());
    CHECK(fs::exists(dir.path() / "out/conformance.json")); // it carried on to its reports
}
