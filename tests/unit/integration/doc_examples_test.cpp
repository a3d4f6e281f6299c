// Every YAML example in README.md and docs/ is a complete scenario, and runs: each is written
// to a file and run through the real harness, which must meet its expectations (exit 0). Every
// ipc-harness command of the README runs as written, too.
#include "harness_process.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

struct Example {
    std::string file;
    int line = 0;
    std::string text;
};

// The fenced blocks of one language (```yaml, ```text) in a Markdown file.
std::vector<Example> fenced_blocks(const fs::path& markdown, const std::string& language) {
    std::vector<Example> examples;
    std::ifstream in(markdown);
    std::string line;
    int number = 0;
    Example* open = nullptr;
    while (std::getline(in, line)) {
        ++number;
        if (open == nullptr && line == "```" + language) {
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

std::size_t count_lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::vector<Example> all_blocks(const std::string& language) {
    std::vector<Example> examples = fenced_blocks(source_path("README.md"), language);
    std::vector<fs::path> docs;
    for (const auto& entry : fs::directory_iterator(source_path("docs")))
        if (entry.path().extension() == ".md") docs.push_back(entry.path());
    std::sort(docs.begin(), docs.end());
    for (const fs::path& doc : docs) {
        auto more = fenced_blocks(doc, language);
        examples.insert(examples.end(), more.begin(), more.end());
    }
    return examples;
}

} // namespace

TEST_CASE("every YAML example in the docs runs and meets its expectations", "[docs]") {
    const std::vector<Example> examples = all_blocks("yaml");
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

TEST_CASE("validate accepts every YAML example in the docs", "[docs]") {
    const std::vector<Example> examples = all_blocks("yaml");
    TempDir dir("docs-validate");
    for (std::size_t i = 0; i < examples.size(); ++i)
        write_file(dir.path(), "example-" + std::to_string(i) + ".yaml", examples[i].text);
    const HarnessRun run = run_harness({"validate", "."}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
    CHECK(run.out.starts_with(std::to_string(examples.size()) + " files, "));
    CHECK(run.out.ends_with(" cases: all valid\n"));
}

TEST_CASE("every error message quoted in the docs is what the harness prints for that file",
          "[docs]") {
    // A quoted line "NAME.yaml:L:C: error: ..." names one of tests/data/bad/.
    const std::regex quoted(R"(^([A-Za-z0-9_]+\.yaml):\d+:\d+: error: .*)");
    int quoted_lines = 0;
    for (const Example& block : all_blocks("text")) {
        std::istringstream lines(block.text);
        std::string line;
        while (std::getline(lines, line)) {
            std::smatch match;
            if (!std::regex_match(line, match, quoted)) continue;
            ++quoted_lines;
            TempDir dir("doc-error");
            fs::copy_file(source_path("tests/data/bad/" + match[1].str()),
                          dir.path() / match[1].str());
            const HarnessRun run = run_harness({"run", match[1].str(), "--out", "out"}, dir.path());
            INFO(block.file << ":" << block.line << "\n" << line << "\n" << run.err);
            CHECK(run.exit_code == 2);
            CHECK(run.err.find(line + "\n") != std::string::npos);
        }
    }
    CHECK(quoted_lines >= 3);
}

namespace {

// The words of a README command after `build/dev/bin/ipc-harness`, up to its comment; /tmp/
// becomes tmp/ (in the test's folder) and a word with one `*` is expanded as the shell would,
// to the one entry it must match.
std::vector<std::string> command_words(const std::string& command, const fs::path& cwd) {
    std::vector<std::string> words;
    std::istringstream in(command.substr(std::string("build/dev/bin/ipc-harness ").size()));
    for (std::string word; in >> word && word != "#";) {
        if (word.rfind("/tmp/", 0) == 0) word.erase(0, 1);
        const std::size_t star = word.find('*');
        if (star != std::string::npos) {
            const std::size_t slash = word.rfind('/', star);
            const std::string parent = word.substr(0, slash + 1);
            const std::string stem = word.substr(slash + 1, star - slash - 1);
            std::vector<std::string> matches;
            for (const auto& entry : fs::directory_iterator(cwd / parent))
                if (entry.path().filename().string().rfind(stem, 0) == 0)
                    matches.push_back(parent + entry.path().filename().string() +
                                      word.substr(star + 1));
            REQUIRE(matches.size() == 1);
            word = matches.front();
        }
        words.push_back(word);
    }
    return words;
}

} // namespace

TEST_CASE("every ipc-harness command of the README runs as written", "[docs]") {
    // Run where the README's relative paths hold: the scenarios and agents beside, and the
    // placeholder my.yaml as the classic exchange.
    TempDir dir("readme-commands");
    fs::create_directory_symlink(source_path("scenarios"), dir.path() / "scenarios");
    fs::create_directory_symlink(source_path("agents"), dir.path() / "agents");
    fs::copy_file(source_path("scenarios/classic/two-apps.yaml"), dir.path() / "my.yaml");
    fs::create_directory(dir.path() / "tmp");
    std::size_t commands = 0;
    for (const Example& block : fenced_blocks(source_path("README.md"), "sh")) {
        std::istringstream lines(block.text);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("build/dev/bin/ipc-harness ", 0) != 0) continue;
            ++commands;
            const HarnessRun run = run_harness(command_words(line, dir.path()), dir.path());
            INFO(line << "\n" << run.out << run.err);
            // "(exit 0 or 1: ...)" in its comment: a command whose outcome is random (chaos).
            const bool either = line.find("(exit 0 or 1") != std::string::npos;
            CHECK((run.exit_code == 0 || (either && run.exit_code == 1)));
            CHECK(leftovers(run).empty());
        }
    }
    CHECK(commands >= 15);
}

TEST_CASE("the README's main command runs the bundled scenarios and writes both reports",
          "[docs]") {
    TempDir dir("suite");
    // The conformance suite is not among them: its cells are findings (`none` fails), and
    // `ipc-harness conformance` runs it (docs/conformance.md).
    const std::vector<std::string> bundled_folders{source_path("scenarios/classic"),
                                                   source_path("scenarios/examples"),
                                                   source_path("scenarios/faults")};
    std::vector<std::string> run_args{"run"};
    run_args.insert(run_args.end(), bundled_folders.begin(), bundled_folders.end());
    run_args.insert(run_args.end(), {"--out", "results"});
    const HarnessRun run = run_harness(run_args, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    // Every bundled case runs (`list` names them: a matrix file has several); the negative
    // controls among them are caught, nothing fails.
    std::vector<std::string> list_args{"list"};
    list_args.insert(list_args.end(), bundled_folders.begin(), bundled_folders.end());
    const std::size_t bundled = count_lines(run_harness(list_args, dir.path()).out);
    CHECK(run.out.find(std::to_string(bundled) + " scenarios: ") != std::string::npos);
    CHECK(run.out.find(", 0 failed") != std::string::npos);
    const auto report = read_json(dir.path() / "results/results.json");
    CHECK(report.at("scenarios").size() == bundled);
    CHECK(fs::exists(dir.path() / "results/junit.xml"));
    CHECK(leftovers(run).empty());
}
