// Every YAML example in README.md and docs/ is a complete scenario, and runs: each is written
// to a file and run through the real harness, which must meet its expectations (exit 0).
#include "harness_process.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

struct Example {
    std::string file;
    int line = 0;
    std::string text;
};

std::vector<Example> yaml_examples(const fs::path& markdown) {
    std::vector<Example> examples;
    std::ifstream in(markdown);
    std::string line;
    int number = 0;
    Example* open = nullptr;
    while (std::getline(in, line)) {
        ++number;
        if (open == nullptr && line == "```yaml") {
            examples.push_back(Example{markdown.string(), number + 1, {}});
            open = &examples.back();
        } else if (open != nullptr && line.rfind("```", 0) == 0) {
            open = nullptr;
        } else if (open != nullptr) {
            open->text += line + "\n";
        }
    }
    return examples;
}

std::vector<Example> all_examples() {
    std::vector<Example> examples = yaml_examples(source_path("README.md"));
    std::vector<fs::path> docs;
    for (const auto& entry : fs::directory_iterator(source_path("docs")))
        if (entry.path().extension() == ".md") docs.push_back(entry.path());
    std::sort(docs.begin(), docs.end());
    for (const fs::path& doc : docs) {
        auto more = yaml_examples(doc);
        examples.insert(examples.end(), more.begin(), more.end());
    }
    return examples;
}

} // namespace

TEST_CASE("every YAML example in the docs runs and meets its expectations", "[docs]") {
    const std::vector<Example> examples = all_examples();
    REQUIRE(examples.size() >= 5);
    TempDir dir("docs");
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const Example& example = examples[i];
        const std::string path =
            write_file(dir.path(), "example-" + std::to_string(i) + ".yaml", example.text);
        const HarnessRun run = run_harness({"run", path, "--out", "out", "-q"}, dir.path());
        INFO(example.file << ":" << example.line << "\n" << example.text << run.out << run.err);
        CHECK(run.exit_code == 0);
        CHECK(leftovers(run).empty());
    }
}

TEST_CASE("the README's main command runs the bundled scenarios and writes both reports",
          "[docs]") {
    TempDir dir("suite");
    const HarnessRun run =
        run_harness({"run", source_path("scenarios"), "--out", "results"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("3 scenarios: 2 passed, 1 control caught, 0 failed") != std::string::npos);
    const auto report = read_json(dir.path() / "results/results.json");
    CHECK(report.at("scenarios").size() == 3);
    CHECK(fs::exists(dir.path() / "results/junit.xml"));
    CHECK(leftovers(run).empty());
}
