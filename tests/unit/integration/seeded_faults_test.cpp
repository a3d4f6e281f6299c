// The mutation test and the clean runs, through the real binaries. Each seeded fault of
// scenarios/faults/ must be caught by the property that should catch it, with evidence naming
// the faulty agent, and the same scenario without the fault must pass; the contention scenarios
// and the classic exchange, run again and again without faults, must never fail a property.
// bench/clean_runs.sh is the long version of the clean runs (1000 runs, every backend).
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <set>
#include <unistd.h>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// One seeded fault: its scenario (scenarios/faults/FAULT.yaml, named fault-FAULT), the property
// that must catch it, and the group whose agents inject it.
struct FaultCase {
    std::string fault;
    std::string property;
    std::string faulty_group;
};

const std::vector<FaultCase> fault_cases = {
    {"skip-lock", "mutual-exclusion", "careless"},
    {"early-release", "no-torn-read", "hasty"},
    {"torn-write", "no-torn-read", "splitter"},
    {"stale-read", "read-latest", "forgetful"},
    {"lost-increment", "no-lost-update", "splitter"},
    {"double-unlock", "mutual-exclusion", "doubler"},
    // app1 runs the same code, but created the mutex, so it locks it.
    {"classic", "mutual-exclusion", "app2"},
};

std::string fault_file(const std::string& fault) {
    return source_path("scenarios/faults/" + fault + ".yaml");
}

// The scenario without its faults and without its expectations (so every property that applies
// must hold), under a name of its own. The fault files keep each `faults:` on one line and
// `expect:` last, so that this (and bench/clean_runs.sh) can cut them out as text.
std::string without_faults(const std::string& text) {
    std::string clean;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find('\n', start), text.size());
        const std::string line = text.substr(start, end - start);
        start = end + 1;
        if (line.rfind("expect:", 0) == 0) break;
        const std::size_t indent = line.find_first_not_of(' ');
        if (indent != std::string::npos && line.compare(indent, 7, "faults:") == 0) continue;
        if (line.rfind("name: ", 0) == 0) {
            clean += line + "-clean\n";
            continue;
        }
        clean += line + "\n";
    }
    return clean;
}

const json& scenario_named(const json& report, const std::string& name) {
    return report_entry(report, "scenarios", "name", name);
}

// Whether one witness names an agent of the group: in its sentence, or as the agent of one of
// its events (the group's name, or one of its instances GROUP-N).
bool names_agent(const json& evidence, const std::string& group) {
    if (evidence.at("summary").get<std::string>().find(group) != std::string::npos) return true;
    for (const json& event : evidence.at("events")) {
        const std::string agent = event.at("agent");
        if (agent == group || agent.rfind(group + "-", 0) == 0) return true;
    }
    return false;
}

// Every property of a scenario that ran without faults: pass, nothing to judge, or reported
// without a judgement (persistence's `observed`).
std::vector<std::string> false_positives(const json& scenario) {
    std::vector<std::string> failed;
    for (const json& property : scenario.at("properties")) {
        const std::string verdict = property.at("verdict");
        if (verdict != "pass" && verdict != "not-applicable" && verdict != "observed")
            failed.push_back(scenario.at("name").get<std::string>() + ": " +
                             property.at("id").get<std::string>() + " " + verdict + " (" +
                             property.at("detail").get<std::string>() + ")");
    }
    return failed;
}

} // namespace

TEST_CASE("every seeded fault has its scenario, and each scenario one fault", "[faults]") {
    std::set<std::string> files;
    for (const auto& entry : fs::directory_iterator(source_path("scenarios/faults")))
        files.insert(entry.path().stem().string());
    std::set<std::string> faults;
    for (const FaultCase& c : fault_cases)
        faults.insert(c.fault);
    // The list above names every fault the agent knows (docs/scenarios.md lists the same).
    CHECK(faults == std::set<std::string>{"skip-lock", "early-release", "torn-write", "stale-read",
                                          "lost-increment", "double-unlock", "classic"});
    CHECK(files == faults);
    for (const FaultCase& c : fault_cases) {
        const std::string text = read_text(fault_file(c.fault));
        INFO(c.fault);
        const bool asks = text.find("faults: [" + c.fault + "]") != std::string::npos ||
                          text.find("faults: {" + c.fault + ":") != std::string::npos;
        CHECK(asks);
        const std::string clean = without_faults(text);
        CHECK(clean.find("faults") == std::string::npos);
        CHECK(clean.find("expect") == std::string::npos);
        CHECK(clean.find("name: fault-" + c.fault + "-clean\n") != std::string::npos);
    }
}

TEST_CASE("mutation test: each seeded fault is caught by its property, naming the faulty agent, "
          "and passes without the fault",
          "[faults][mutation]") {
    TempDir dir("mutation");
    std::vector<std::string> faulty{"run"}, clean{"run"};
    for (const FaultCase& c : fault_cases) {
        faulty.push_back(fault_file(c.fault));
        clean.push_back(write_file(dir.path(), c.fault + "-clean.yaml",
                                   without_faults(read_text(fault_file(c.fault)))));
    }
    for (const char* option : {"--out", "faulty", "-q"})
        faulty.emplace_back(option);
    for (const char* option : {"--out", "clean", "-q"})
        clean.emplace_back(option);

    const HarnessRun caught = run_harness(faulty, dir.path());
    INFO(caught.out << caught.err);
    CHECK(caught.exit_code == 0);
    CHECK(leftovers(caught).empty());
    const json faulty_report = read_json(dir.path() / "faulty/results.json");
    for (const FaultCase& c : fault_cases) {
        const json& scenario = scenario_named(faulty_report, "fault-" + c.fault);
        const json& verdict = property(scenario, c.property);
        INFO(c.fault << ": " << verdict.dump(2).substr(0, 3000));
        CHECK(scenario.at("outcome") == "control-caught");
        CHECK(verdict.at("verdict") == "fail");
        CHECK(verdict.at("met") == true);
        CHECK(verdict.at("violations").get<std::uint64_t>() > 0);
        REQUIRE_FALSE(verdict.at("evidence").empty());
        bool named = false;
        for (const json& evidence : verdict.at("evidence"))
            named = named || names_agent(evidence, c.faulty_group);
        CHECK(named);
    }

    const HarnessRun passed = run_harness(clean, dir.path());
    INFO(passed.out << passed.err);
    CHECK(passed.exit_code == 0);
    CHECK(leftovers(passed).empty());
    const json clean_report = read_json(dir.path() / "clean/results.json");
    for (const FaultCase& c : fault_cases) {
        const json& scenario = scenario_named(clean_report, "fault-" + c.fault + "-clean");
        INFO(c.fault);
        CHECK(scenario.at("outcome") == "passed");
        CHECK(false_positives(scenario).empty());
        // The property that caught the fault had something to judge, and found nothing.
        CHECK(property(scenario, c.property).at("verdict") == "pass");
    }
}

TEST_CASE("clean runs: the contention scenarios and the classic exchange, again and again, "
          "never fail a property",
          "[faults][clean-runs]") {
    TempDir dir("clean-runs");
    // The classic exchange under names of this test's own: another test may run the bundled
    // file (its fixed names) at the same time.
    const std::string tag = "clean-runs-" + std::to_string(::getpid());
    std::string classic = read_text(source_path("scenarios/classic/two-apps.yaml"));
    for (const auto& [name, replacement] :
         {std::pair<std::string, std::string>{"YourMemoryMappedFileName", tag + "-map"},
          {"NonPersisterMemoryMappedFilemutex", tag + "-mtx"}})
        classic.replace(classic.find(name), name.size(), replacement);
    std::vector<std::string> round{"run", source_path("scenarios/examples/contention.yaml"),
                                   write_file(dir.path(), "classic.yaml", classic)};
    for (const FaultCase& c : fault_cases)
        round.push_back(write_file(dir.path(), c.fault + "-clean.yaml",
                                   without_faults(read_text(fault_file(c.fault)))));
    for (const char* option : {"--out", "out", "-q"})
        round.emplace_back(option);

    // Each round is one harness run with a seed of its own: every scenario once.
    constexpr int rounds = 5;
    std::size_t runs = 0, verdicts = 0;
    std::vector<std::string> failures;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) {
        const HarnessRun run = run_harness(round, dir.path());
        INFO(run.out << run.err);
        CHECK(run.exit_code == 0);
        CHECK(leftovers(run).empty());
        const json report = read_json(dir.path() / "out/results.json");
        for (const json& scenario : report.at("scenarios")) {
            ++runs;
            verdicts += scenario.at("properties").size();
            if (scenario.at("outcome") != "passed")
                failures.push_back(scenario.at("name").get<std::string>() + " " +
                                   scenario.at("outcome").get<std::string>() + " (seed " +
                                   scenario.at("seed").get<std::string>() + ")");
            for (const std::string& failure : false_positives(scenario))
                failures.push_back(failure);
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    // Figures for the log; the assertions are on the verdicts alone.
    WARN(runs << " clean runs, " << verdicts << " verdicts, " << failures.size()
              << " false positives, " << seconds << " s");
    CHECK(runs == rounds * (fault_cases.size() + 2));
    std::string listed;
    for (const std::string& failure : failures)
        listed += failure + "\n";
    INFO(listed);
    CHECK(failures.empty());
    CHECK_FALSE(fs::exists("/dev/shm/" + tag + "-map"));
    CHECK_FALSE(fs::exists("/dev/shm/sem." + tag + "-mtx"));
}
