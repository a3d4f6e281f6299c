// The ops beyond the first six, each form read into the OpSpec fields the plan carries
// (agents/include/ipch/agent_plan.hpp: OpFields). tests/data/good/every_new_op.yaml is the file;
// the bad forms are in tests/data/bad/ with their messages.
#include "load_ok.hpp"
#include "scenario.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace {

using ipch::CrashPoint;
using ipch::OpKind;
using ipch::OpSpec;

constexpr std::uint64_t ms = 1'000'000;

ipch::Scenario load_every_new_op() {
    return ipch::test::load_ok(IPCH_TEST_DATA "/good/every_new_op.yaml");
}

// The agent's own op that starts on `line` of the file.
const OpSpec* op_at(const std::vector<OpSpec>& ops, int line) {
    for (const OpSpec& op : ops)
        if (op.pos.line == line) return &op;
    return nullptr;
}

const OpSpec& at(const ipch::AgentSpec& agent, int line) {
    const OpSpec* op = op_at(agent.ops, line);
    INFO("line " << line);
    REQUIRE(op != nullptr);
    return *op;
}

} // namespace

TEST_CASE("open: bare and empty take the group's mode, a map gives its own", "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const ipch::AgentSpec& writer = s.agents.at(0);
    REQUIRE(writer.open_mode == ipch::OpenMode::open_existing);
    CHECK(at(writer, 9).kind == OpKind::open);
    CHECK(at(writer, 9).open_mode == ipch::OpenMode::open_existing);
    CHECK(at(writer, 10).open_mode == ipch::OpenMode::create_only);
    CHECK(at(writer, 11).open_mode == ipch::OpenMode::open_existing);
}

TEST_CASE("ops without a value: a bare word, nothing, or an empty map", "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const ipch::AgentSpec& writer = s.agents.at(0);
    CHECK(at(writer, 12).kind == OpKind::close);
    CHECK(at(writer, 13).kind == OpKind::remove);
    CHECK(at(writer, 14).kind == OpKind::increment);
    CHECK(at(writer, 15).kind == OpKind::lock);
    CHECK(at(writer, 18).kind == OpKind::increment);
    CHECK(at(writer, 20).kind == OpKind::unlock);
    CHECK(at(writer, 21).kind == OpKind::try_lock);
}

TEST_CASE("write {size, pattern}: the default pattern, and braces that are not templates",
          "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const ipch::AgentSpec& writer = s.agents.at(0);
    const OpSpec& sized = at(writer, 16);
    CHECK(sized.kind == OpKind::write);
    CHECK(sized.size == 1024u);
    CHECK(sized.pattern == "{agent}:{seq};");
    CHECK(sized.text.empty());
    const OpSpec& patterned = at(writer, 17);
    CHECK(patterned.size == 100u);
    CHECK(patterned.pattern == "{agent}{seq}{}{ x }{Run}");
}

TEST_CASE("read expect: the plain word any-valid is the keyword, quoted it is text", "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const OpSpec& any = at(s.agents.at(0), 22);
    CHECK(any.kind == OpKind::read);
    CHECK(any.has_expect);
    CHECK(any.expect_any_valid);
    CHECK(any.text.empty());
    const OpSpec& literal = at(s.agents.at(1), 43);
    CHECK(literal.has_expect);
    CHECK_FALSE(literal.expect_any_valid);
    CHECK(literal.text == "any-valid");
}

TEST_CASE("timed_lock: a duration, or {timeout}", "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const ipch::AgentSpec& writer = s.agents.at(0);
    CHECK(at(writer, 24).kind == OpKind::timed_lock);
    CHECK(at(writer, 24).duration_ns == 5 * ms);
    CHECK(at(writer, 27).kind == OpKind::timed_lock);
    CHECK(at(writer, 27).duration_ns == 2 * ms);
}

TEST_CASE("crash: a point, or {at}, and holding-lock and mid-write may be inside a section",
          "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const ipch::AgentSpec& writer = s.agents.at(0);
    CHECK(at(writer, 19).kind == OpKind::crash);
    CHECK(at(writer, 19).crash_at == CrashPoint::holding_lock);
    const OpSpec& repeat = at(writer, 28);
    REQUIRE(repeat.is_repeat);
    REQUIRE(repeat.ops.size() == 2);
    CHECK(repeat.ops[1].kind == OpKind::crash);
    CHECK(repeat.ops[1].crash_at == CrashPoint::mid_write);
    CHECK(at(writer, 37).crash_at == CrashPoint::before_lock);
    CHECK(at(writer, 38).crash_at == CrashPoint::after_unlock);
}

TEST_CASE("barrier: a name, or {name, groups}", "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const OpSpec& ready = at(s.agents.at(0), 30);
    CHECK(ready.kind == OpKind::barrier);
    CHECK(ready.text == "ready");
    CHECK(ready.groups.empty()); // every agent
    const OpSpec& pair = at(s.agents.at(0), 31);
    CHECK(pair.text == "pair");
    CHECK(pair.groups == std::vector<std::string>{"reader", "writer"});
    // The same groups in another order are the same barrier; a barrier of one agent is allowed.
    CHECK(at(s.agents.at(1), 42).groups == std::vector<std::string>{"writer", "reader"});
    CHECK(at(s.agents.at(2), 49).groups == std::vector<std::string>{"loner"});
}

TEST_CASE("sleep: a duration has no jitter, and {min, max} sets both bounds", "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const OpSpec& fixed = at(s.agents.at(0), 32);
    CHECK(fixed.kind == OpKind::sleep);
    CHECK(fixed.duration_ns == 1 * ms);
    CHECK(fixed.max_duration_ns == 0u);
    const OpSpec& jitter = at(s.agents.at(0), 33);
    CHECK(jitter.duration_ns == 0u);
    CHECK(jitter.max_duration_ns == 2 * ms);
}

TEST_CASE("repeat {duration}: count 0 and the duration, and its body holds whole sections",
          "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const OpSpec& timed = at(s.agents.at(0), 34);
    REQUIRE(timed.is_repeat);
    CHECK(timed.count == 0u);
    CHECK(timed.duration_ns == 150 * ms);
    REQUIRE(timed.ops.size() == 4);
    CHECK(timed.ops[0].kind == OpKind::lock);
    CHECK(timed.ops[2].kind == OpKind::unlock);
}

TEST_CASE("wait_for from: one name or a list, group or agent names", "[scenario]") {
    const ipch::Scenario s = load_every_new_op();
    const ipch::AgentSpec& reader = s.agents.at(1);
    const OpSpec& group = at(reader, 44);
    CHECK(group.kind == OpKind::wait_for);
    CHECK(group.text.empty());
    CHECK(group.from == std::vector<std::string>{"writer"});
    CHECK(group.duration_ns == 1000 * ms);
    const OpSpec& agents = at(reader, 45);
    CHECK(agents.from == std::vector<std::string>{"writer-1", "writer-2"});
    CHECK(agents.duration_ns == 10'000 * ms); // the default timeout
}

TEST_CASE("docs/scenarios.md has a row for every op kind", "[scenario][docs]") {
    std::ifstream in(IPCH_SOURCE_DIR "/docs/scenarios.md");
    std::stringstream doc;
    doc << in.rdbuf();
    REQUIRE_FALSE(doc.str().empty());
    for (auto kind = static_cast<std::uint16_t>(OpKind::open);
         kind <= static_cast<std::uint16_t>(OpKind::crash); ++kind) {
        const std::string row = "| `" + std::string(to_string(static_cast<OpKind>(kind))) + "` |";
        INFO(row);
        CHECK(doc.str().find(row) != std::string::npos);
    }
    CHECK(doc.str().find("| `repeat` |") != std::string::npos);
}
