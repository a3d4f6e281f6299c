// --shard through the real binary: the shards of a suite run every case once between them, and
// their JUnit files merge with no testsuite or testcase named twice.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <pugixml.hpp>
#include <set>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

const std::string matrix_example = "scenarios/examples/matrix.yaml"; // three cases

struct JunitNames {
    std::vector<std::string> suites;
    std::vector<std::string> testcases; // classname / name
};

JunitNames junit_names(const fs::path& file) {
    pugi::xml_document document;
    REQUIRE(document.load_file(file.c_str()));
    JunitNames names;
    for (pugi::xml_node suite : document.child("testsuites").children("testsuite")) {
        names.suites.push_back(suite.attribute("name").value());
        for (pugi::xml_node testcase : suite.children("testcase"))
            names.testcases.push_back(std::string(testcase.attribute("classname").value()) + " / " +
                                      testcase.attribute("name").value());
    }
    return names;
}

// Valid against Jenkins' JUnit schema (tests/data/junit/jenkins-junit.xsd), by xmllint.
bool jenkins_valid(const fs::path& file) {
    const std::string command = "xmllint --noout --schema '" +
                                source_path("tests/data/junit/jenkins-junit.xsd") + "' '" +
                                file.string() + "' >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

std::string shard_property(const fs::path& file) {
    pugi::xml_document document;
    REQUIRE(document.load_file(file.c_str()));
    return document.select_node("//testsuite/properties/property[@name='shard']")
        .node()
        .attribute("value")
        .value();
}

} // namespace

TEST_CASE("run --shard: the shards run every case once and their JUnit merges", "[shard]") {
    TempDir dir("shard");
    const std::string scenario = source_path(matrix_example);
    const HarnessRun whole = run_harness(
        {"run", scenario, "--seed", "7", "--out", (dir.path() / "all").string()}, dir.path());
    REQUIRE(whole.exit_code == 0);
    const JunitNames all = junit_names(dir.path() / "all" / "junit.xml");
    REQUIRE(all.suites.size() == 3);

    std::multiset<std::string> suites;
    std::multiset<std::string> testcases;
    for (const std::string shard : {"1/2", "2/2"}) {
        const fs::path out = dir.path() / ("shard" + shard.substr(0, 1));
        const HarnessRun run = run_harness(
            {"run", scenario, "--seed", "7", "--shard", shard, "--out", out.string()}, dir.path());
        INFO(run.err);
        REQUIRE(run.exit_code == 0);
        const JunitNames names = junit_names(out / "junit.xml");
        suites.insert(names.suites.begin(), names.suites.end());
        testcases.insert(names.testcases.begin(), names.testcases.end());
        CHECK(shard_property(out / "junit.xml") == shard);
        CHECK(jenkins_valid(out / "junit.xml"));
        CHECK(read_json(out / "results.json").at("shard") == shard);
        // By stride: the first shard has cases 1 and 3, the second case 2.
        CHECK(names.suites.size() == (shard == "1/2" ? 2u : 1u));
    }
    CHECK(suites == std::multiset<std::string>(all.suites.begin(), all.suites.end()));
    CHECK(testcases == std::multiset<std::string>(all.testcases.begin(), all.testcases.end()));
    CHECK(std::set<std::string>(suites.begin(), suites.end()).size() == suites.size());
    CHECK(std::set<std::string>(testcases.begin(), testcases.end()).size() == testcases.size());
}

TEST_CASE("run --shard with bad files: every shard exits 2, each file reported once", "[shard]") {
    TempDir dir("shard-bad-files");
    for (const char* name : {"a.yaml", "b.yaml", "c.yaml"})
        write_file(dir.path(), name, "name: broken\nagnets: []\n");
    std::multiset<std::string> suites;
    for (const std::string shard : {"1/2", "2/2"}) {
        const fs::path out = dir.path() / ("out" + shard.substr(0, 1));
        const HarnessRun run = run_harness(
            {"run", dir.path().string(), "--shard", shard, "--out", out.string()}, dir.path());
        CHECK(run.exit_code == 2);
        const JunitNames names = junit_names(out / "junit.xml");
        suites.insert(names.suites.begin(), names.suites.end());
    }
    CHECK(suites.size() == 3);
    CHECK(std::set<std::string>(suites.begin(), suites.end()).size() == 3);
}

TEST_CASE("a shard that is no K/N is bad input, for run, conformance and stress", "[shard]") {
    TempDir dir("shard-bad");
    const std::string scenario = source_path(matrix_example);
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"run", scenario, "--shard", "3/2"},
          std::vector<std::string>{"conformance", "--suite", source_path("scenarios/conformance"),
                                   "--shard", "0/2"},
          std::vector<std::string>{"stress", "--shard", "2"}}) {
        const HarnessRun run = run_harness(args, dir.path());
        INFO(args.front() << ": " << run.err);
        CHECK(run.exit_code == 2);
        CHECK(run.err.find("expected K/N") != std::string::npos);
    }
}

TEST_CASE("conformance --shard splits the matrix by cell, and the shards' JUnit merges",
          "[shard]") {
    TempDir dir("shard-conformance");
    std::multiset<std::string> testcases;
    std::set<std::string> suites;
    std::size_t suite_count = 0;
    std::string markdowns;
    for (const std::string shard : {"1/3", "2/3", "3/3"}) {
        const fs::path out = dir.path() / ("c" + shard.substr(0, 1));
        const HarnessRun run = run_harness(
            {"conformance", "--suite", source_path("scenarios/conformance/mutual-exclusion.yaml"),
             "--backends", "named_mutex/shm,file_lock/shm,none/shm", "--shard", shard, "--out",
             out.string(), "--markdown", (out / "summary.md").string(), "-q"},
            dir.path());
        INFO(run.err);
        REQUIRE(run.exit_code == 0);
        CHECK(jenkins_valid(out / "junit.xml"));
        const JunitNames names = junit_names(out / "junit.xml");
        // Three cells (three backends, one property): one each.
        CHECK(names.testcases.size() == 1);
        testcases.insert(names.testcases.begin(), names.testcases.end());
        suites.insert(names.suites.begin(), names.suites.end());
        suite_count += names.suites.size();
        CHECK(read_json(out / "conformance.json").at("shard") == shard);
        // The Markdown matrix: this shard's one cell, and `none` failing where it is run.
        const std::string markdown = read_text(out / "summary.md");
        CHECK(markdown.find("shard " + shard) != std::string::npos);
        markdowns += markdown;
    }
    CHECK(markdowns.find("| none/shm | \u274c **FAIL** |") != std::string::npos);
    CHECK(markdowns.find("| named\\_mutex/shm | \u2705 pass |") != std::string::npos);
    CHECK(std::set<std::string>(testcases.begin(), testcases.end()).size() == 3);
    CHECK(testcases.size() == 3);
    CHECK(suites.size() == suite_count); // no testsuite name twice
}

TEST_CASE("stress --shard runs its slice of the sweep and says so in JSON and Markdown",
          "[shard]") {
    TempDir dir("shard-stress");
    const HarnessRun run =
        run_harness({"stress", "--agents", "1,2,3", "--duration", "50ms", "--shard", "2/3", "--out",
                     "out", "--markdown", "out/summary.md", "-q"},
                    dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const nlohmann::json sweep = read_json(dir.path() / "out/stress.json");
    CHECK(sweep.at("shard") == "2/3");
    REQUIRE(sweep.at("cases").size() == 1);
    const std::string markdown = read_text(dir.path() / "out/summary.md");
    CHECK(markdown.find("1 case(s), 0 not ok") != std::string::npos);
    CHECK(markdown.find("| named\\_mutex | 2 | 1 |") != std::string::npos); // the 2nd case
    CHECK(markdown.find("shard 2/3") != std::string::npos);
}
