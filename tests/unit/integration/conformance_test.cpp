// `ipc-harness conformance`: the matrix over a few backends from the real suite's files, its
// JSON and JUnit reports, a negative control for isolation (one of its two runs fails), and bad
// input (an unknown backend, a suite file named after no property) as exit 2.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <pugixml.hpp>
#include <thread>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> four_backends{"robust_mutex/shm", "named_mutex/shm", "file_lock/shm",
                                             "none/shm"};
const std::string four_backends_arg = "robust_mutex/shm,named_mutex/shm,file_lock/shm,none/shm";

// A suite of some of the real suite's files, so that the test stays short.
fs::path suite_of(const TempDir& dir, const std::vector<std::string>& files) {
    const fs::path suite = dir.path() / "suite";
    fs::create_directories(suite);
    for (const std::string& file : files)
        fs::copy_file(source_path("scenarios/conformance/" + file), suite / file);
    return suite;
}

const json& cell(const json& report, const std::string& backend, const std::string& property) {
    return report.at("matrix").at(backend).at(property);
}

// The testcase of `property` in the testsuite of `backend`.
pugi::xml_node junit_case(const pugi::xml_document& junit, const std::string& backend,
                          const std::string& property) {
    const pugi::xml_node suite =
        junit.child("testsuites").find_child_by_attribute("testsuite", "name", backend.c_str());
    return suite.find_child_by_attribute("testcase", "name", property.c_str());
}

} // namespace

TEST_CASE("conformance: none fails mutual-exclusion, the locks hold it and isolation",
          "[conformance]") {
    TempDir dir("conformance");
    const fs::path suite = suite_of(dir, {"mutual-exclusion.yaml", "isolation.yaml"});
    const HarnessRun run = run_harness({"conformance", "--backends", four_backends_arg, "--suite",
                                        suite.string(), "--out", "out", "-q"},
                                       dir.path(), std::chrono::seconds(180));
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(leftovers(run).empty());

    const json report = read_json(dir.path() / "out/conformance.json");
    CHECK(report.at("properties") == json({"mutual-exclusion", "isolation"}));
    CHECK(report.at("backends") ==
          json({"named_mutex/shm", "robust_mutex/shm", "file_lock/shm", "none/shm"}));
    const json& none = cell(report, "none/shm", "mutual-exclusion");
    CHECK(none.at("state") == "fail");
    CHECK(none.at("cases") == 3); // 2, 4 and 16 agents
    REQUIRE(none.at("run_dir").is_string());
    CHECK(fs::is_directory(none.at("run_dir").get<std::string>())); // the evidence, kept
    CHECK(none.at("detail").get<std::string>().find("held the lock at the same time") !=
          std::string::npos);
    for (const std::string backend : {"robust_mutex/shm", "named_mutex/shm", "file_lock/shm"}) {
        INFO(backend);
        CHECK(cell(report, backend, "mutual-exclusion").at("state") == "pass");
        CHECK(cell(report, backend, "mutual-exclusion").at("run_dir").is_null());
        CHECK(cell(report, backend, "isolation").at("state") == "pass");
        CHECK(cell(report, backend, "isolation").at("cases") == 2); // two runs at once
    }
    // Every case is there with its backend; isolation's twice.
    CHECK(report.at("cases").size() == 4 * 3 + 4 * 2);
    const json& platform = report.at("platform");
    CHECK(platform.at("kernel").get<std::string>().starts_with("Linux"));
    CHECK(platform.at("libc").get<std::string>().starts_with("glibc 2."));
    CHECK(platform.at("boost").get<std::string>().starts_with("1."));
    CHECK(platform.at("cores").get<int>() > 0);

    pugi::xml_document junit;
    REQUIRE(junit.load_file((dir.path() / "out/junit.xml").c_str()));
    const pugi::xml_node root = junit.child("testsuites");
    CHECK(std::distance(root.children("testsuite").begin(), root.children("testsuite").end()) == 4);
    CHECK(junit_case(junit, "none/shm", "mutual-exclusion").child("failure"));
    CHECK(!junit_case(junit, "robust_mutex/shm", "mutual-exclusion").child("failure"));
    CHECK(junit_case(junit, "robust_mutex/shm", "isolation"));
    CHECK(root.attribute("failures").as_int() >= 1);

    // The console table: a row per backend, the failure with its evidence below.
    CHECK(run.out.find("none/shm                FAIL") != std::string::npos);
    CHECK(run.out.find("evidence: ") != std::string::npos);
}

// The must-show cells from the real suite's files: a dead holder is recovered by the
// robust mutex, released by the kernel for the fcntl lock, and a deadlock (reported at the
// case's timeout, not hung) for named_mutex; `none` has no lock to abandon. The object
// properties hold for each, and persistence is observed, not judged.
TEST_CASE("conformance: abandoned lock recovered, released or deadlocked, objects as promised",
          "[conformance]") {
    TempDir dir("conformance-objects");
    const fs::path suite =
        suite_of(dir, {"abandoned-lock.yaml", "create-open-race.yaml", "open-missing.yaml",
                       "capacity.yaml", "permissions.yaml", "persistence.yaml"});
    const auto started = std::chrono::steady_clock::now();
    const HarnessRun run = run_harness({"conformance", "--backends", four_backends_arg, "--suite",
                                        suite.string(), "--out", "out", "-q"},
                                       dir.path(), std::chrono::seconds(180));
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(leftovers(run).empty());
    // The deadlock costs its case's 3 s timeout once; nothing waits longer.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(120));

    const json report = read_json(dir.path() / "out/conformance.json");
    const auto state = [&](const std::string& backend, const std::string& property) {
        return cell(report, backend, property).at("state").get<std::string>();
    };
    const auto detail = [&](const std::string& backend, const std::string& property) {
        return cell(report, backend, property).at("detail").get<std::string>();
    };
    CHECK(state("robust_mutex/shm", "abandoned-lock") == "pass");
    CHECK(detail("robust_mutex/shm", "abandoned-lock").starts_with("recovered"));
    CHECK(state("file_lock/shm", "abandoned-lock") == "pass");
    CHECK(detail("file_lock/shm", "abandoned-lock").starts_with("released"));
    CHECK(state("named_mutex/shm", "abandoned-lock") == "fail");
    CHECK(detail("named_mutex/shm", "abandoned-lock").find("deadlock") != std::string::npos);
    CHECK(cell(report, "named_mutex/shm", "abandoned-lock").at("run_dir").is_string());
    CHECK(state("none/shm", "abandoned-lock") == "not-applicable");
    for (const std::string& backend : four_backends) {
        INFO(backend);
        for (const std::string property :
             {"create-open-race", "open-missing", "capacity", "permissions"})
            CHECK(state(backend, property) == "pass");
        CHECK(state(backend, "persistence") == "observed");
        CHECK(detail(backend, "persistence").starts_with("mapping kept"));
    }
}

// Two runs cannot be made to share a mapping: fixed names are claimed by the run that uses
// them ("in use by another ipc-harness run"). The negative control is a pair of runs that fail
// on their own (an agent that loses increments, a seeded fault): the isolation cell must fail
// with its evidence.
TEST_CASE("conformance: isolation fails when either of the two runs fails", "[conformance]") {
    TempDir dir("conformance-isolation");
    fs::create_directories(dir.path() / "suite");
    write_file(dir.path() / "suite", "isolation.yaml",
               "name: isolation\n"
               "timeout: 30s\n"
               "agents:\n"
               "  - name: counter\n"
               "    count: 2\n"
               "    ops:\n"
               "      - repeat: {duration: 300ms, ops: [increment, sleep: {min: 0s, max: 20us}]}\n"
               "  - name: sloppy\n"
               "    faults: [lost-increment]\n"
               "    ops:\n"
               "      - repeat: {duration: 300ms, ops: [increment, sleep: {min: 0s, max: 20us}]}\n"
               "expect:\n"
               "  hold: [no-lost-update]\n");
    const HarnessRun run = run_harness({"conformance", "--backends", "named_mutex/shm", "--suite",
                                        (dir.path() / "suite").string(), "--out", "out", "-q"},
                                       dir.path(), std::chrono::seconds(120));
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0); // a fail cell is a finding, not an error
    const json report = read_json(dir.path() / "out/conformance.json");
    const json& isolation = cell(report, "named_mutex/shm", "isolation");
    CHECK(isolation.at("state") == "fail");
    CHECK(isolation.at("cases") == 2);
    CHECK(isolation.at("detail").get<std::string>().starts_with("no-lost-update: "));
    CHECK(isolation.at("run_dir").is_string());
    CHECK(leftovers(run).empty());
}

// SIGINT while a case runs: the case is cut short, the rest do not run, and every report says
// the matrix is partial (a table of empty cells must not read as a clean run).
TEST_CASE("conformance: an interrupted suite says so in every report and exits 130",
          "[conformance][signals]") {
    TempDir dir("conformance-interrupt");
    fs::create_directories(dir.path() / "suite");
    write_file(dir.path() / "suite", "mutual-exclusion.yaml",
               "name: mutual-exclusion\n"
               "timeout: 60s\n"
               "agents:\n"
               "  - name: worker\n"
               "    count: 2\n"
               "    ops:\n"
               "      - repeat: {duration: 30s, ops: [hold: 5us, sleep: 1ms]}\n"
               "expect:\n"
               "  hold: [mutual-exclusion]\n");
    const HarnessRun run =
        run_harness({"conformance", "--backends", "named_mutex/shm,file_lock/shm", "--suite",
                     (dir.path() / "suite").string(), "--out", "out"},
                    dir.path(), std::chrono::seconds(60), [&](int pid) {
                        // The first case has started once its run directory exists.
                        const auto deadline =
                            std::chrono::steady_clock::now() + std::chrono::seconds(30);
                        while (!fs::exists(dir.path() / "out/runs") &&
                               std::chrono::steady_clock::now() < deadline)
                            std::this_thread::sleep_for(std::chrono::milliseconds(20));
                        std::this_thread::sleep_for(std::chrono::milliseconds(300));
                        ::kill(pid, SIGINT);
                    });
    INFO(run.out << run.err);
    CHECK(run.exit_code == 130);
    CHECK(run.seconds < 30);
    CHECK(run.out.find(" s, interrupted\n") != std::string::npos);
    const json report = read_json(dir.path() / "out/conformance.json");
    CHECK(report.at("interrupted") == true);
    CHECK(report.at("cases").size() <= 1); // the second backend's case never ran
    pugi::xml_document junit;
    REQUIRE(junit.load_file((dir.path() / "out/junit.xml").c_str()));
    const pugi::xml_node suite = junit.child("testsuites").child("testsuite");
    CHECK(std::string(suite.child("properties")
                          .find_child_by_attribute("property", "name", "interrupted")
                          .attribute("value")
                          .value()) == "true");
    CHECK(leftovers(run).empty());
}

TEST_CASE("conformance: an unknown backend is bad input, nothing run", "[conformance]") {
    TempDir dir("conformance-bad");
    const auto attempt = [&](const std::string& list) {
        return run_harness({"conformance", "--backends", list, "--suite",
                            source_path("scenarios/conformance"), "--out", "out"},
                           dir.path());
    };
    const HarnessRun mapping = attempt("robust_mutex/shmm");
    CHECK(mapping.exit_code == 2);
    CHECK(mapping.err == "ipc-harness: --backends: unknown mapping kind 'shmm' in "
                         "'robust_mutex/shmm'; expected one of: shm, file, xsi\n");
    const HarnessRun mutex = attempt("spin,futex");
    CHECK(mutex.exit_code == 2);
    CHECK(mutex.err.find("unknown mutex kind 'futex' in 'futex'; expected one of: named_mutex, "
                         "interprocess_mutex, robust_mutex, named_semaphore, file_lock, spin, "
                         "none (or all)") != std::string::npos);
    CHECK(attempt("spin,").exit_code == 2);
    CHECK(attempt("").exit_code == 2);
    CHECK(!fs::exists(dir.path() / "out"));
}

TEST_CASE("conformance: a suite file must be named after the property it measures",
          "[conformance]") {
    TempDir dir("conformance-misnamed");
    fs::create_directories(dir.path() / "suite");
    write_file(dir.path() / "suite", "frob.yaml",
               "name: frobnication\nagents:\n  - name: a\n    ops: [write: x]\n");
    const HarnessRun run = run_harness(
        {"conformance", "--suite", (dir.path() / "suite").string(), "--out", "out"}, dir.path());
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("suite file named 'frobnication' measures no property; expected its name "
                       "to be one of: mutual-exclusion, ") != std::string::npos);
    CHECK(!fs::exists(dir.path() / "out"));
}
