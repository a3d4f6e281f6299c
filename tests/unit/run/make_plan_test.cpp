#include "plan.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

using namespace ipch;

namespace {

OpSpec leaf(OpKind kind, std::string text = {}, std::uint64_t duration = 0) {
    OpSpec op;
    op.kind = kind;
    op.text = std::move(text);
    op.duration_ns = duration;
    return op;
}

Scenario two_groups() {
    Scenario s;
    s.name = "demo";
    s.timeout_ns = 3'000'000'000;
    s.mapping.size = 128;
    AgentSpec writer;
    writer.name = "writer";
    writer.open_mode = OpenMode::create_or_open;
    OpSpec repeat;
    repeat.is_repeat = true;
    repeat.count = 10;
    repeat.ops = {leaf(OpKind::write, "w {seq}"), leaf(OpKind::hold, {}, 1000)};
    writer.ops = {repeat, leaf(OpKind::sleep, {}, 2'000'000)};
    AgentSpec reader;
    reader.name = "reader";
    reader.count = 3;
    reader.open_mode = OpenMode::open_existing;
    reader.ops = {leaf(OpKind::wait_for, "w 10", 5'000'000'000)};
    OpSpec read = leaf(OpKind::read, "w 10");
    read.has_expect = true;
    reader.ops.push_back(read);
    s.agents = {writer, reader};
    return s;
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("a plan names every object of the run after its run id", "[plan]") {
    const Plan plan = make_plan(two_groups(), "r1", "/tmp/x", 1);
    CHECK(plan.mapping.name == "ipch-r1-map");
    CHECK_FALSE(plan.mapping.fixed);
    CHECK(plan.mutex.name == "ipch-r1-mtx");
    CHECK(plan.control.name == "ipch-r1-ctl");
    CHECK(plan.timeout_ns == 3'000'000'000);
}

TEST_CASE("a scenario's fixed names are used as they are", "[plan]") {
    Scenario s = two_groups();
    s.mapping.name = "YourMemoryMappedFileName";
    s.mutex.name = "NonPersisterMemoryMappedFilemutex";
    const Plan plan = make_plan(s, "r1", "/tmp/x", 1);
    CHECK(plan.mapping.name == "YourMemoryMappedFileName");
    CHECK(plan.mapping.fixed);
    CHECK(plan.mutex.name == "NonPersisterMemoryMappedFilemutex");
    CHECK(plan.mutex.fixed);
    for (const AgentPlan& agent : plan.agents) {
        CHECK(agent.mapping_name == "YourMemoryMappedFileName");
        CHECK(agent.mutex_name == "NonPersisterMemoryMappedFilemutex");
    }
}

TEST_CASE("agent groups expand into numbered agents with ids from 1", "[plan]") {
    const Plan plan = make_plan(two_groups(), "r1", "/tmp/x", 1);
    REQUIRE(plan.agents.size() == 4);
    CHECK(plan.agents[0].agent_name == "writer");
    CHECK(plan.agents[1].agent_name == "reader-1");
    CHECK(plan.agents[3].agent_name == "reader-3");
    std::set<std::string> logs;
    for (std::size_t i = 0; i < plan.agents.size(); ++i) {
        CHECK(plan.agents[i].agent_id == i + 1);
        CHECK(plan.agents[i].agent_index == i);
        CHECK(plan.agents[i].agent_count == 4);
        logs.insert(plan.agents[i].log_path);
    }
    CHECK(logs.size() == 4);
    CHECK(plan.agents[1].group == "reader");
    CHECK(plan.agents[3].open_mode == OpenMode::open_existing);
}

TEST_CASE("op ids number the op tree in pre-order from 1, and labels name each", "[plan]") {
    const Plan plan = make_plan(two_groups(), "r1", "/tmp/x", 1);
    const AgentPlan& writer = plan.agents[0];
    REQUIRE(writer.ops.size() == 2);
    CHECK(writer.ops[0].id == 1);
    CHECK(writer.ops[0].ops[0].id == 2);
    CHECK(writer.ops[0].ops[1].id == 3);
    CHECK(writer.ops[1].id == 4);
    const auto labels = op_labels(writer);
    REQUIRE(labels.size() == 5);
    CHECK(labels[0] == "#0 open (create_or_open)");
    CHECK(labels[1] == "#1 repeat 10x");
    CHECK(labels[2] == "#2 write \"w {seq}\"");
    CHECK(labels[3] == "#3 hold 1us");
    CHECK(labels[4] == "#4 sleep 2ms");
    const auto reader_labels = op_labels(plan.agents[1]);
    CHECK(reader_labels[1] == "#1 wait_for \"w 10\" within 5s");
    CHECK(reader_labels[2] == "#2 read expect \"w 10\"");
}

TEST_CASE("the log is sized from the op tree", "[plan]") {
    const Plan plan = make_plan(two_groups(), "r1", "/tmp/x", 1);
    // open + 10 x (write, hold) + sleep
    CHECK(plan.agents[0].log_capacity == 1 + 20 + 1);
}

TEST_CASE("plan files are written one per agent and are the same for the same plan", "[plan]") {
    const auto dir =
        std::filesystem::temp_directory_path() / ("ipch-test-plan-" + std::to_string(::getpid()));
    Plan first = make_plan(two_groups(), "r1", dir / "a", 1);
    Plan second = make_plan(two_groups(), "r1", dir / "a", 1);
    write_plan_files(first);
    const std::string text = slurp(first.plan_files.at(2));
    write_plan_files(second);
    REQUIRE(first.plan_files.size() == 4);
    CHECK(slurp(second.plan_files.at(2)) == text);
    const AgentPlan back = plan_from_json(text);
    CHECK(back.agent_name == "reader-2");
    std::filesystem::remove_all(dir);
}

TEST_CASE("run ids differ from run to run and are valid in object names", "[plan]") {
    std::set<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        const std::string id = new_run_id();
        CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
        ids.insert(id);
    }
    CHECK(ids.size() == 100);
}
