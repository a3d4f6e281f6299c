// Matrices: a file's cases (order, names, values), how ${name} takes a value (typed as a whole
// scalar, textual inside one), and the problems: with their positions, once for every case, and
// with the values that cause them for some.
#include "scenario.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <variant>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Writes `text` to a file of its own; the loader's messages name it "m.yaml".
class ScenarioFile {
  public:
    explicit ScenarioFile(const std::string& text)
        : dir_(fs::temp_directory_path() /
               ("ipch-matrix-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n_))) {
        fs::create_directories(dir_);
        std::ofstream(dir_ / "m.yaml") << text;
    }
    ~ScenarioFile() { fs::remove_all(dir_); }
    ScenarioFile(const ScenarioFile&) = delete;
    ScenarioFile& operator=(const ScenarioFile&) = delete;
    std::string path() const { return (dir_ / "m.yaml").string(); }

  private:
    static inline int n_ = 0;
    fs::path dir_;
};

std::vector<ipch::Scenario> load_cases(const std::string& text) {
    const ScenarioFile file(text);
    ipch::LoadResult result = ipch::load_scenario(file.path());
    if (const auto* errors = std::get_if<std::vector<ipch::ScenarioError>>(&result)) {
        for (const ipch::ScenarioError& error : *errors)
            UNSCOPED_INFO(ipch::format_error(error));
        FAIL("expected the text to load");
    }
    return std::get<std::vector<ipch::Scenario>>(std::move(result));
}

// Each message as "line:col: error: ...", without the file's path.
std::vector<std::string> load_errors(const std::string& text) {
    const ScenarioFile file(text);
    const ipch::LoadResult result = ipch::load_scenario(file.path());
    std::vector<std::string> messages;
    if (const auto* errors = std::get_if<std::vector<ipch::ScenarioError>>(&result))
        for (const ipch::ScenarioError& error : *errors)
            messages.push_back(ipch::format_error(error).substr(file.path().size() + 1));
    return messages;
}

std::vector<std::string> names(const std::vector<ipch::Scenario>& cases) {
    std::vector<std::string> out;
    for (const ipch::Scenario& s : cases)
        out.push_back(s.case_name);
    return out;
}

const char* const contention = R"(name: contention
matrix:
  agents: [1, 2, 4]
  mutex: [named_mutex, none]
mutex: {kind: "${mutex}"}
agents:
  - name: worker
    count: ${agents}
    ops:
      - write: "{agent} ${mutex} x${agents}"
)";

} // namespace

TEST_CASE("a matrix expands into the product of its values, first key slowest", "[matrix]") {
    const std::vector<ipch::Scenario> cases = load_cases(contention);
    CHECK(names(cases) == std::vector<std::string>{
                              "contention[agents=1,mutex=named_mutex]",
                              "contention[agents=1,mutex=none]",
                              "contention[agents=2,mutex=named_mutex]",
                              "contention[agents=2,mutex=none]",
                              "contention[agents=4,mutex=named_mutex]",
                              "contention[agents=4,mutex=none]",
                          });
    const ipch::Scenario& last = cases.back();
    CHECK(last.name == "contention");
    REQUIRE(last.parameters.size() == 2);
    CHECK(last.parameters[0].name == "agents");
    CHECK(last.parameters[0].value == "4");
    CHECK_FALSE(last.parameters[0].quoted);
    CHECK(last.parameters[1].name == "mutex");
    CHECK(last.parameters[1].value == "none");
    // The values reached every place that refers to them, as the right types.
    CHECK(last.agents.at(0).count == 4u);
    CHECK(last.mutex.kind == ipch::MutexKind::none);
    CHECK(cases.front().mutex.kind == ipch::MutexKind::named_mutex);
    // Inside a longer string the value's text replaces the reference; {agent} is the agent's.
    CHECK(last.agents[0].ops.at(0).text == "{agent} none x4");
    // Positions are those of the file, whatever the value.
    CHECK(last.agents[0].ops[0].pos.line == 10);
    CHECK(last.agents[0].ops[0].pos.column == 9);
}

TEST_CASE("a file without a matrix is one case, named as the scenario", "[matrix]") {
    const std::vector<ipch::Scenario> cases = load_cases("name: plain\nagents: [{name: a, ops: "
                                                         "[read]}]\n");
    REQUIRE(cases.size() == 1);
    CHECK(cases[0].case_name == "plain");
    CHECK(cases[0].parameters.empty());
}

TEST_CASE("exclude leaves combinations out", "[matrix]") {
    const std::vector<ipch::Scenario> cases = load_cases(R"(name: x
matrix:
  agents: [1, 2]
  mutex: [named_mutex, none]
  exclude:
    - {agents: 1, mutex: none}
    - {agents: 2, mutex: named_mutex}
mutex: {kind: "${mutex}"}
agents: [{name: w, count: "${agents}", ops: [read]}]
)");
    CHECK(names(cases) ==
          std::vector<std::string>{"x[agents=1,mutex=named_mutex]", "x[agents=2,mutex=none]"});
}

TEST_CASE("a whole-scalar reference takes the value as written", "[matrix]") {
    SECTION("a plain number is a number, quoted reference or not") {
        const auto cases = load_cases(R"(matrix: {n: [3]}
agents: [{name: w, count: "${n}", ops: [read]}]
)");
        CHECK(cases.at(0).agents.at(0).count == 3u);
    }
    SECTION("a quoted value stays a string: not a count") {
        CHECK(load_errors(R"(matrix: {n: ["3"]}
agents: [{name: w, count: "${n}", ops: [read]}]
)") == std::vector<std::string>{"2:27: error: count must be an integer from 1 to 256; got \"3\""});
    }
    SECTION("the quoted value is recorded as quoted") {
        const auto cases = load_cases(R"(matrix: {n: ["3"]}
agents: [{name: w, ops: [{write: "${n}"}]}]
)");
        CHECK(cases.at(0).parameters.at(0).quoted);
        CHECK(cases.at(0).agents.at(0).ops.at(0).text == "3");
    }
    SECTION("a plain value inside a plain scalar: sizes and durations") {
        const auto cases = load_cases(R"(matrix: {kib: [4], us: [10]}
mapping:
  size: ${kib}KiB
agents:
  - name: w
    ops:
      - hold: ${us}us
)");
        CHECK(cases.at(0).mapping.size == 4096u);
        CHECK(cases.at(0).agents.at(0).ops.at(0).duration_ns == 10'000u);
    }
    SECTION("a key may be a reference too") {
        const auto cases = load_cases(R"(matrix: {which: [hold, fail]}
agents: [{name: w, ops: [read]}]
expect:
  ${which}: [mutual-exclusion]
)");
        REQUIRE(cases.size() == 2);
        CHECK(cases[0].expect.hold == std::vector<std::string>{"mutual-exclusion"});
        CHECK(cases[1].expect.fail == std::vector<std::string>{"mutual-exclusion"});
    }
}

TEST_CASE("$${ is a literal ${, with or without a matrix", "[matrix]") {
    const auto cases = load_cases(R"(agents:
  - name: w
    ops:
      - write: "cost $${PRICE} and $$ and $"
)");
    CHECK(cases.at(0).agents.at(0).ops.at(0).text == "cost ${PRICE} and $$ and $");
}

TEST_CASE("a node an alias repeats is replaced once, and an alias bomb stays cheap", "[matrix]") {
    SECTION("shared ops") {
        const auto cases = load_cases(R"(matrix: {t: [a, b]}
agents:
  - name: one
    ops: &ops
      - write: "${t}-${t}"
  - name: two
    ops: *ops
)");
        REQUIRE(cases.size() == 2);
        CHECK(cases[1].agents.at(0).ops.at(0).text == "b-b");
        CHECK(cases[1].agents.at(1).ops.at(0).text == "b-b");
    }
    SECTION("ten levels of ten aliases each") {
        std::string text = "matrix: {t: [a, b]}\nx0: &x0 [\"${t}\"]\n";
        for (int level = 1; level <= 10; ++level) {
            const std::string below = "*x" + std::to_string(level - 1);
            text += "x" + std::to_string(level) + ": &x" + std::to_string(level) + " [";
            for (int i = 0; i < 10; ++i)
                text += (i > 0 ? ", " : "") + below;
            text += "]\n";
        }
        text += "agents: [{name: w, ops: [read]}]\n";
        const auto started = std::chrono::steady_clock::now();
        const std::vector<std::string> errors = load_errors(text);
        const auto seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        CHECK(seconds < 5); // 10^10 paths, walked node by node, would never end
        REQUIRE_FALSE(errors.empty());
        CHECK(errors[0].starts_with("2:1: error: unknown key 'x0' at the top level"));
    }
}

TEST_CASE("reference problems point at the scalar that holds the reference", "[matrix]") {
    CHECK(load_errors(R"(matrix: {agents: [1, 2]}
agents:
  - name: w
    count: ${agnets}
    ops: [{write: "a ${Agents} b ${agents}"}]
)") == std::vector<std::string>{
           "4:12: error: unknown matrix parameter 'agnets' (did you mean 'agents'?); "
           "expected one of: agents",
           "5:19: error: malformed parameter reference '${Agents}'; expected ${name}, the "
           "name a lower-case letter, then letters, digits or '_'; or $${ for a literal "
           "'${'",
       });
}

TEST_CASE("an error in every case is reported once, and in some cases, with their values",
          "[matrix]") {
    SECTION("every case") {
        CHECK(load_errors(R"(matrix: {agents: [1, 2]}
agents: [{name: w, count: "${agents}", ops: [{hold: 10}]}]
)") == std::vector<std::string>{"2:53: error: duration '10' needs a unit; expected a number and "
                                "a unit (ns, us, ms, s, m), e.g. 10s"});
    }
    SECTION("the cases of one value: named by that value alone") {
        CHECK(load_errors(R"(matrix:
  agents: [1, 300, 400]
  mutex: [named_mutex, none]
mutex: {kind: "${mutex}"}
agents: [{name: w, count: "${agents}", ops: [read]}]
)") == std::vector<std::string>{
           "5:27: error: count must be an integer from 1 to 256; got 300 (case agents=300)",
           "5:27: error: count must be an integer from 1 to 256; got 400 (case agents=400)",
       });
    }
    SECTION("one combination: named by both values") {
        CHECK(load_errors(R"(matrix:
  t: [5, 1500]
  unit: [s, m]
timeout: ${t}${unit}
agents: [{name: w, ops: [read]}]
)") == std::vector<std::string>{"4:10: error: timeout 1500m is too long; expected at most 1440m "
                                "(24 hours) (case t=1500,unit=m)"});
    }
}

TEST_CASE("matrix limits", "[matrix]") {
    const auto values = [](int n) {
        std::string list = "[";
        for (int i = 1; i <= n; ++i)
            list += (i > 1 ? ", " : "") + std::to_string(i);
        return list + "]";
    };
    const std::string body = "agents: [{name: w, ops: [{write: \"${a} ${b}\"}]}]\n";
    CHECK(load_cases("matrix: {a: " + values(10) + ", b: " + values(100) + "}\n" + body).size() ==
          ipch::max_matrix_cases);
    CHECK(load_errors("matrix: {a: " + values(11) + ", b: " + values(100) + "}\n" + body) ==
          std::vector<std::string>{
              "1:1: error: the matrix's values combine into more than 1000 cases; expected at "
              "most 1000 before exclusions (fewer values or parameters)"});
}
