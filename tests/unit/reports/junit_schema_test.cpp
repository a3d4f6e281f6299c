// The JUnit report against the schema Jenkins validates with (tests/data/junit/jenkins-junit.xsd),
// by xmllint: the sample results, the hostile ones, and controls the schema must reject.
#include "junit_report.hpp"
#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

const std::string schema = std::string(IPCH_TEST_DATA) + "/junit/jenkins-junit.xsd";

// Catch2 v2 has no skip; a missing xmllint is a machine not set up (scripts/install-deps.sh
// installs it), and a test that passed without validating would claim what it did not check.
void require_xmllint() {
    INFO("xmllint is missing: apt-get install libxml2-utils (scripts/install-deps.sh)");
    REQUIRE(std::system("command -v xmllint >/dev/null 2>&1") == 0);
}

struct Validation {
    bool valid = false;
    std::string output;
};

// xmllint --schema on `xml`, written to a file of its own.
Validation validate(const std::string& xml, const std::string& tag) {
    const fs::path file = fs::temp_directory_path() /
                          ("ipch-junit-" + tag + "-" + std::to_string(::getpid()) + ".xml");
    std::ofstream(file, std::ios::binary) << xml;
    const std::string command =
        "xmllint --noout --schema '" + schema + "' '" + file.string() + "' 2>&1";
    Validation result;
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
        result.output.append(buffer, n);
    const int status = ::pclose(pipe);
    result.valid = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    fs::remove(file);
    return result;
}

std::string junit(const ipch::RunResults& results) {
    std::ostringstream out;
    ipch::write_junit_report(out, results);
    return out.str();
}

} // namespace

TEST_CASE("the JUnit report is valid against Jenkins' JUnit schema", "[junit][xsd]") {
    require_xmllint();
    for (const auto& [tag, results] : {std::pair{"sample", ipch::test::sample_results()},
                                       std::pair{"hostile", ipch::test::hostile_results()}}) {
        const Validation validation = validate(junit(results), tag);
        INFO(tag << ": " << validation.output);
        CHECK(validation.valid);
    }
}

TEST_CASE("the JUnit schema rejects what Jenkins would", "[junit][xsd]") {
    require_xmllint();
    const std::string good = junit(ipch::test::sample_results());
    const auto replaced = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        const std::size_t at = text.find(from);
        REQUIRE(at != std::string::npos);
        return text.replace(at, from.size(), to);
    };
    // Each a small change of a valid report: the schema is only a test if it can say no.
    const std::pair<const char*, std::string> broken[] = {
        {"suite without tests", replaced(" tests=\"4\"", "")},
        {"testcase without a name",
         replaced("<testcase classname", "<testcase nameless=\"\" classname")},
        {"time with a unit",
         replaced(
             "<testsuites name=\"ipc-harness\" tests=\"9\" failures=\"2\" errors=\"1\" time=\"",
             "<testsuites name=\"ipc-harness\" tests=\"9\" failures=\"2\" errors=\"1\" time=\"s")},
        {"an unknown element", replaced("<properties>", "<properties><note/>")},
    };
    for (const auto& [what, xml] : broken) {
        const Validation validation = validate(xml, "broken");
        INFO(what << ": " << validation.output);
        CHECK_FALSE(validation.valid);
    }
}
