// Good scenario files load into the Scenario they describe: fields, defaults, the op tree and the
// positions reports point at. Files that cannot be read are problems, never exceptions.
#include "load_ok.hpp"
#include "properties.hpp"
#include "scenario.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string good(const std::string& name) {
    return IPCH_TEST_DATA "/good/" + name;
}

using ipch::test::load_ok;

std::vector<std::string> load_errors(const std::string& path) {
    const ipch::LoadResult result = ipch::load_scenario(path);
    std::vector<std::string> messages;
    if (const auto* errors = std::get_if<std::vector<ipch::ScenarioError>>(&result))
        for (const ipch::ScenarioError& error : *errors)
            messages.push_back(ipch::format_error(error));
    return messages;
}

void check_pos(const ipch::SourcePos& pos, int line, int column) {
    CHECK(pos.line == line);
    CHECK(pos.column == column);
}

} // namespace

TEST_CASE("every good scenario file loads", "[scenario]") {
    for (const fs::directory_entry& entry : fs::directory_iterator(IPCH_TEST_DATA "/good")) {
        DYNAMIC_SECTION(entry.path().filename().string()) {
            load_ok(entry.path().string());
        }
    }
}

TEST_CASE("the classic two-app scenario", "[scenario]") {
    const ipch::Scenario s = load_ok(good("classic.yaml"));
    CHECK(s.path == good("classic.yaml"));
    CHECK(s.name == "classic-two-apps");
    CHECK(s.description == "app1 says hello, app2 answers");
    CHECK(s.timeout_ns == 30'000'000'000u);
    CHECK_FALSE(s.reuse);
    CHECK(s.permissions == 0600u);
    CHECK(s.mapping.kind == ipch::MappingKind::shm);
    CHECK(s.mapping.name == "YourMemoryMappedFileName");
    CHECK(s.mapping.size == 100u);
    CHECK(s.mutex.kind == ipch::MutexKind::named_mutex);
    CHECK(s.mutex.name == "NonPersisterMemoryMappedFilemutex");

    REQUIRE(s.agents.size() == 2);
    const ipch::AgentSpec& app1 = s.agents[0];
    CHECK(app1.name == "app1");
    CHECK(app1.count == 1u);
    CHECK(app1.open_mode == ipch::OpenMode::create_or_open);
    check_pos(app1.pos, 15, 5);
    REQUIRE(app1.ops.size() == 2);
    CHECK(app1.ops[0].kind == ipch::OpKind::write);
    CHECK(app1.ops[0].text == "Hello from app1");
    CHECK(app1.ops[1].kind == ipch::OpKind::wait_for);
    CHECK(app1.ops[1].text == "Hello from app2");
    CHECK(app1.ops[1].duration_ns == 5'000'000'000u);
    check_pos(app1.ops[1].pos, 20, 9);
    CHECK(s.agents[1].name == "app2");

    CHECK(s.expect.lists_properties());
    CHECK(s.expect.hold_all);
    CHECK(s.expect.fail.empty());
}

TEST_CASE("a minimal scenario takes every default", "[scenario]") {
    const ipch::Scenario s = load_ok(good("minimal.yaml"));
    CHECK(s.name == "minimal"); // the file's stem
    CHECK(s.description.empty());
    CHECK(s.timeout_ns == 60'000'000'000u);
    CHECK_FALSE(s.reuse);
    CHECK(s.mapping.kind == ipch::MappingKind::shm);
    CHECK_FALSE(s.mapping.name.has_value());
    CHECK(s.mapping.size == 4096u);
    CHECK(s.mutex.kind == ipch::MutexKind::named_mutex);
    CHECK_FALSE(s.mutex.name.has_value());
    CHECK_FALSE(s.expect.lists_properties());
    CHECK(s.expect.hold.empty());
    CHECK(s.expect.fail.empty());

    REQUIRE(s.agents.size() == 1);
    const ipch::AgentSpec& solo = s.agents[0];
    CHECK(solo.name == "solo");
    CHECK(solo.count == 1u);
    CHECK(solo.open_mode == ipch::OpenMode::create_or_open);
    check_pos(solo.pos, 3, 5);
    REQUIRE(solo.ops.size() == 1);
    CHECK_FALSE(solo.ops[0].is_repeat);
    CHECK(solo.ops[0].kind == ipch::OpKind::read);
    CHECK_FALSE(solo.ops[0].has_expect);
    check_pos(solo.ops[0].pos, 4, 11);
}

TEST_CASE("every op form, nested repeats and their positions", "[scenario]") {
    const ipch::Scenario s = load_ok(good("every_op.yaml"));
    CHECK(s.name == "every-op");
    CHECK(s.timeout_ns == 90'000'000'000u);
    CHECK(s.reuse);
    CHECK(s.mapping.size == 4096u);
    REQUIRE(s.agents.size() == 2);

    const ipch::AgentSpec& writer = s.agents[0];
    CHECK(writer.count == 3u);
    CHECK(writer.open_mode == ipch::OpenMode::create_only);
    check_pos(writer.pos, 10, 5);
    REQUIRE(writer.ops.size() == 5);
    CHECK(writer.ops[0].text == "Hello {agent}"); // templates are the agent's to expand
    CHECK(writer.ops[1].kind == ipch::OpKind::write);
    CHECK(writer.ops[1].text == "seq {seq}");
    check_pos(writer.ops[1].pos, 15, 9);
    CHECK(writer.ops[2].kind == ipch::OpKind::hold);
    CHECK(writer.ops[2].duration_ns == 10'000u);
    CHECK(writer.ops[3].kind == ipch::OpKind::sleep);
    CHECK(writer.ops[3].duration_ns == 1'000'000u);

    const ipch::OpSpec& outer = writer.ops[4];
    CHECK(outer.is_repeat);
    CHECK(outer.count == 2000u);
    check_pos(outer.pos, 18, 9);
    REQUIRE(outer.ops.size() == 2);
    CHECK(outer.ops[0].kind == ipch::OpKind::write);
    check_pos(outer.ops[0].pos, 21, 15);
    const ipch::OpSpec& inner = outer.ops[1];
    CHECK(inner.is_repeat);
    CHECK(inner.count == 2u);
    check_pos(inner.pos, 22, 15);
    REQUIRE(inner.ops.size() == 2);
    CHECK(inner.ops[0].kind == ipch::OpKind::read);
    check_pos(inner.ops[0].pos, 22, 40);
    CHECK(inner.ops[1].kind == ipch::OpKind::hold);
    CHECK(inner.ops[1].duration_ns == 0u);
    check_pos(inner.ops[1].pos, 22, 46);

    const ipch::AgentSpec& reader = s.agents[1];
    CHECK(reader.open_mode == ipch::OpenMode::open_existing);
    check_pos(reader.pos, 23, 5);
    REQUIRE(reader.ops.size() == 6);
    for (int i = 0; i < 3; ++i) {
        CHECK(reader.ops[i].kind == ipch::OpKind::read);
        CHECK_FALSE(reader.ops[i].has_expect);
    }
    CHECK(reader.ops[3].has_expect);
    CHECK(reader.ops[3].text == "Hello from app2");
    CHECK(reader.ops[4].kind == ipch::OpKind::wait_for);
    CHECK(reader.ops[4].duration_ns == 10'000'000'000u); // the default
    CHECK(reader.ops[5].text == "done");
    CHECK(reader.ops[5].duration_ns == 250'000'000u);
    check_pos(reader.ops[5].pos, 31, 9);

    CHECK(s.expect.lists_properties());
    CHECK(s.expect.hold == std::vector<std::string>{"mutual-exclusion", "delivery"});
    CHECK(s.expect.fail.empty());
}

TEST_CASE("permissions widen the mode of the run's objects", "[scenario]") {
    const ipch::Scenario s = load_ok(good("permissions.yaml"));
    CHECK(s.permissions == 0660u);
}

TEST_CASE("a negative control: hold all but what must fail", "[scenario]") {
    const ipch::Scenario s = load_ok(good("negative_control.yaml"));
    CHECK(s.mutex.kind == ipch::MutexKind::none);
    CHECK(s.mapping.size == 1024u * 1024u);
    CHECK(s.agents.at(0).count == 8u);
    CHECK(s.expect.lists_properties());
    CHECK(s.expect.fail == std::vector<std::string>{"mutual-exclusion"});
    CHECK(s.expect.hold_all);
    CHECK(s.expect.hold.empty()); // `all` names no property: one that does not apply is fine
}

TEST_CASE("a file that cannot be read is a problem at line 1, column 1", "[scenario]") {
    const std::string missing = IPCH_TEST_DATA "/no-such-file.yaml";
    CHECK(load_errors(missing) ==
          std::vector<std::string>{missing +
                                   ":1:1: error: cannot open the file: No such file or directory"});
    const std::string directory = IPCH_TEST_DATA "/good";
    CHECK(
        load_errors(directory) ==
        std::vector<std::string>{directory + ":1:1: error: cannot read the file: Is a directory"});
}

TEST_CASE("format_error", "[scenario]") {
    CHECK(ipch::format_error({{"s.yaml", 3, 7}, "error: unknown op 'x'"}) ==
          "s.yaml:3:7: error: unknown op 'x'");
    CHECK(ipch::format_error({{"s.yaml", 0, 0}, "error: whole file"}) ==
          "s.yaml: error: whole file");
}

TEST_CASE("seeded faults: a list of names, or a map of probabilities, per agent group",
          "[scenario][faults]") {
    const ipch::Scenario scenario = load_ok(good("faults.yaml"));
    REQUIRE(scenario.agents.size() == 3);
    CHECK(scenario.agents[0].faults.empty());
    const auto& careless = scenario.agents[1].faults;
    REQUIRE(careless.size() == 2);
    CHECK(careless[0].kind == ipch::FaultKind::skip_lock);
    CHECK(careless[0].probability == 1.0);
    CHECK(careless[1].kind == ipch::FaultKind::torn_write);
    const auto& sometimes = scenario.agents[2].faults;
    REQUIRE(sometimes.size() == 3);
    CHECK(sometimes[0].kind == ipch::FaultKind::stale_read);
    CHECK(sometimes[0].probability == 0.5);
    CHECK(sometimes[1].kind == ipch::FaultKind::double_unlock);
    CHECK(sometimes[1].probability == 0.0);
    CHECK(sometimes[2].kind == ipch::FaultKind::lost_increment);
    CHECK(sometimes[2].probability == 1.0);
}
