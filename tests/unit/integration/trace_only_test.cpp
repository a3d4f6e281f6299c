// A run keeps each case's timeline only when a report will show it (--html, --trace): with
// --trace alone, the trace still holds every section's hold.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

const char* const two_writers = R"(name: two-writers
agents:
  - name: writer
    count: 2
    ops:
      - repeat: {count: 50, ops: [{write: "{agent} {seq}"}]}
)";

std::size_t holds(const nlohmann::json& trace) {
    std::size_t count = 0;
    for (const nlohmann::json& event : trace.at("traceEvents"))
        count += event.value("name", "") == "hold" ? 1 : 0;
    return count;
}

} // namespace

TEST_CASE("run --trace without --html: the trace holds every section", "[trace]") {
    TempDir dir("trace-only");
    write_file(dir.path(), "two.yaml", two_writers);
    const HarnessRun run =
        run_harness({"run", "two.yaml", "--out", "out", "--trace", "trace.json", "-q"}, dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(holds(read_json(dir.path() / "trace.json")) == 100);
    CHECK(leftovers(run).empty());
}
