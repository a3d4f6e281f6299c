// Histories without lock-order stamps through the real harness (an external agent that leaves
// the stamp out, and its negative control), and --export-history: Porcupine operations named per
// case, and Knossos events in which a crashed agent's write in flight is `info`.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <map>
#include <set>

using namespace ipch::test;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

TEST_CASE("an agent without stamps is checked by linearizability, unlocked it is caught, and "
          "each case's history is exported",
          "[external][black-box][export][control]") {
    TempDir dir("black-box");
    const HarnessRun run =
        run_harness({"run", source_path("tests/data/external/python-unstamped.yaml"),
                     source_path("tests/data/external/python-unstamped-skips-lock.yaml"), "--out",
                     "out", "--export-history", "out/history.json"},
                    dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const json report = read_json(dir.path() / "out/results.json");
    REQUIRE(report.at("scenarios").size() == 2);

    const json& locked = report["scenarios"][0];
    CHECK(locked.at("outcome") == "passed");
    for (const char* id : {"mutual-exclusion", "read-latest"}) {
        INFO(id);
        CHECK(property(locked, id).at("verdict") == "pass");
        CHECK_THAT(property(locked, id).at("detail").get<std::string>(),
                   Contains("black-box check (no lock-order stamps)"));
    }
    const json& unlocked = report["scenarios"][1];
    CHECK(unlocked.at("outcome") == "control-caught");
    const json& exclusion = property(unlocked, "mutual-exclusion");
    CHECK(exclusion.at("verdict") == "fail");
    REQUIRE(exclusion.at("evidence").size() == 1);
    CHECK_THAT(exclusion["evidence"][0].at("summary").get<std::string>(),
               Contains("cannot be placed after the longest linearizable prefix"));
    CHECK(exclusion["evidence"][0].at("events").size() >= 1);

    // Two cases: one file each, named after the case.
    CHECK_FALSE(fs::exists(dir.path() / "out/history.json"));
    CHECK(fs::exists(dir.path() / "out/history-python-unstamped-skips-lock.json"));
    const json ops = read_json(dir.path() / "out/history-python-unstamped.json");
    REQUIRE(ops.is_array());
    CHECK(ops.size() == 3 * 1500 * 2); // every write and read of the 3 agents
    std::set<std::string> written;
    std::size_t writes = 0;
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const json& op = ops[i];
        if (i > 0) CHECK(ops[i - 1].at("Call") <= op.at("Call"));
        CHECK(op.at("Call") <= op.at("Return"));
        const int client = op.at("ClientId");
        CHECK((client >= 0 && client <= 2));
        if (op["Input"].at("op") == "write") {
            ++writes;
            const std::string value = op["Input"].at("value");
            // "WRITER:SEQ", the writer being the client's agent id.
            CHECK(value.rfind(std::to_string(client + 1) + ":", 0) == 0);
            written.insert(value);
        } else {
            CHECK(op["Input"].at("op") == "read");
            const json& output = op.at("Output");
            // Under the lock every read sees a message written before it (or none yet).
            CHECK((output.is_null() || written.count(output.get<std::string>()) == 1));
        }
    }
    CHECK(writes == 3 * 1500);
    CHECK(leftovers(run).empty());
}

TEST_CASE("a history exported in Knossos form: a crash mid-write leaves an info write",
          "[export][crash]") {
    TempDir dir("export-knossos");
    write_file(dir.path(), "crash.yaml", R"(name: crash-export
timeout: 30s
mutex:
  kind: file_lock
agents:
  - name: victim
    ops:
      - write: "{agent} first"
      - crash: mid-write
  - name: survivor
    ops:
      - repeat:
          count: 50
          ops:
            - write: "{agent} {seq}"
            - read
)");
    const HarnessRun run = run_harness(
        {"run", "crash.yaml", "--out", "out", "--export-history", "history.knossos.json"},
        dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    const json events = read_json(dir.path() / "history.knossos.json");
    REQUIRE(events.is_array());
    std::map<int, std::size_t> invokes, completions;
    std::size_t infos = 0;
    for (const json& event : events) {
        const int process = event.at("process");
        if (event.at("type") == "invoke")
            ++invokes[process];
        else
            ++completions[process];
        if (event.at("type") != "info") continue;
        ++infos;
        // The victim (agent 1, process 0) died half-way through its second message.
        CHECK(process == 0);
        CHECK(event.at("f") == "write");
        CHECK(event.at("value") == "1:2");
    }
    CHECK(infos == 1);
    CHECK(events.back().at("type") == "info");
    CHECK(invokes == completions);
    CHECK(invokes[0] == 2); // the victim's write, and the one it died in
    // The survivor's writes and reads; one read may have found the victim's torn message (a
    // read right after the crash, before the survivor's next write), which is no register op.
    CHECK(invokes[1] >= 50 * 2 - 1);
    CHECK(invokes[1] <= 50 * 2);
    CHECK(leftovers(run).empty());
}
