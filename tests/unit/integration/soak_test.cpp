// The fault soak, CI-sized: bench/soak.sh runs the soak scenarios under `run --chaos` (agents
// SIGKILLed and SIGSTOPped at random moments) and signals the controller at random moments; this
// asserts its figures. bench/soak.sh --duration 300 is the long version (bench/README.md).
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <sstream>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

// The script's `name: value` lines; exit_codes (not a number) is kept as text.
std::map<std::string, long> figures_of(const std::string& out, std::string& exit_codes) {
    std::map<std::string, long> figures;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        const std::size_t colon = line.find(": ");
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, colon), value = line.substr(colon + 2);
        if (key == "exit_codes")
            exit_codes = value;
        else if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos &&
                 key.find_first_not_of("abcdefghijklmnopqrstuvwxyzINTERM_") == std::string::npos)
            figures[key] = std::stol(value); // not bash's "line N: PID Killed ..." of a hang
    }
    return figures;
}

} // namespace

TEST_CASE("the soak, CI-sized: no hang, no leftover, no orphan, every crash reported", "[soak]") {
    TempDir dir("soak");
    // Seed 9's draws (bench/soak.sh) send the controller a SIGINT and a SIGTERM while its
    // contention runs are still going, besides the chaos.
    const std::string command = source_path("bench/soak.sh") + " --runs 10 --seed 9 " +
                                IPCH_BIN_DIR + "/.. > " + (dir.path() / "figures").string() +
                                " 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    const std::string out = read_text(dir.path() / "figures");
    INFO(out);
    std::string exit_codes;
    std::map<std::string, long> f = figures_of(out, exit_codes);
    CHECK(f.at("runs") == 10);
    // The chaos did something, in and out of the lock.
    CHECK(f.at("kill_inside") + f.at("kill_outside") > 0);
    CHECK(f.at("stop_inside") + f.at("stop_outside") > 0);
    CHECK(f.at("kill_inside") + f.at("stop_inside") > 0);
    CHECK(f.at("controller_INT") + f.at("controller_TERM") > 0);
    // What must never happen.
    CHECK(f.at("hangs") == 0);
    CHECK(f.at("leftovers") == 0);
    CHECK(f.at("orphans") == 0);
    CHECK(f.at("missing_reports") == 0);
    // Every SIGKILLed agent reported crashed, its events read back from its kept log.
    CHECK(f.at("crashes_reported") == f.at("crashes"));
    // An interrupted controller exits 130/143 with its partial report.
    CHECK(f.at("interrupted_with_report") == f.at("interrupted"));
    // Every stopped holder is named by the timeout's forensics, alive.
    CHECK(f.at("stopped_holders_named") == f.at("stopped_holders"));
    // The exit codes seen: 0, 1 (a chaos run's properties), 130, 143 only.
    std::istringstream codes(exit_codes);
    for (std::string code; codes >> code;) {
        const std::string value = code.substr(0, code.find('='));
        CHECK((value == "0" || value == "1" || value == "130" || value == "143"));
    }
}

// A negative control of the soak's own detectors: a stand-in `ipc-harness` that leaves an object
// named like a run's and never ends must show as a hang, a leftover and a missing report.
TEST_CASE("the soak counts a hang, a leftover and a missing report", "[soak][control]") {
    TempDir dir("soak-control");
    fs::create_directories(dir.path() / "bin");
    const std::string fake = write_file(dir.path() / "bin", "ipc-harness",
                                        "#!/bin/bash\n"
                                        "trap '' INT TERM\n" // deaf to the soak's signals too
                                        "printf -v name 'ipch-%07x-soak-control' $$\n"
                                        ": > /dev/shm/$name\n"
                                        "exec sleep 30\n");
    fs::permissions(fake, fs::perms::owner_all);
    const std::string command = source_path("bench/soak.sh") + " --runs 1 " + dir.path().string() +
                                " > " + (dir.path() / "figures").string() + " 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
    const std::string out = read_text(dir.path() / "figures");
    INFO(out);
    for (const auto& entry : fs::directory_iterator("/dev/shm"))
        if (entry.path().filename().string().ends_with("-soak-control")) fs::remove(entry.path());
    std::string exit_codes;
    std::map<std::string, long> f = figures_of(out, exit_codes);
    CHECK(f.at("hangs") == 1);
    CHECK(f.at("leftovers") == 1);
    CHECK(f.at("missing_reports") == 1);
}
