// External agents in the plan: their command, their JSON-lines event file, and how they are
// started; and the file_lock kind's plan.
#include "ipch/agent_plan.hpp"
#include "plan.hpp"
#include "run/agent_process.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ipch;

namespace {

Scenario mixed() {
    Scenario s;
    s.name = "mixed";
    s.mutex.kind = MutexKind::file_lock;
    OpSpec write;
    write.kind = OpKind::write;
    write.text = "x";
    AgentSpec external;
    external.name = "py";
    external.count = 2;
    external.command = {"/usr/bin/python3", "-u", "/opt/agent.py"};
    external.ops = {write};
    AgentSpec builtin;
    builtin.name = "worker";
    builtin.ops = {write};
    s.agents = {external, builtin};
    return s;
}

} // namespace

TEST_CASE("an external agent's plan asks for JSON-lines events, and a built-in one's is unchanged",
          "[plan][external]") {
    const Plan plan = make_plan(mixed(), "r1", "/tmp/run", 7);
    REQUIRE(plan.agents.size() == 3);
    REQUIRE(plan.commands.size() == 3);
    for (std::size_t i : {0, 1}) {
        CHECK(plan.commands[i] ==
              std::vector<std::string>{"/usr/bin/python3", "-u", "/opt/agent.py"});
        CHECK(plan.agents[i].log_format == LogFormat::jsonl);
        CHECK(plan.agents[i].log_path == plan.agents[i].agent_name + ".events.jsonl");
        CHECK(plan.agents[i].mutex_kind == MutexKind::file_lock);
        const auto json = nlohmann::json::parse(plan_to_json(plan.agents[i]));
        CHECK(json.at("log").at("format") == "jsonl");
        CHECK(json.at("mutex").at("kind") == "file_lock");
        CHECK(plan_from_json(plan_to_json(plan.agents[i])).log_format == LogFormat::jsonl);
    }
    CHECK(plan.commands[2].empty());
    CHECK(plan.agents[2].log_format == LogFormat::binary);
    CHECK(plan.agents[2].log_path == "worker.events");
    CHECK_FALSE(nlohmann::json::parse(plan_to_json(plan.agents[2])).at("log").contains("format"));
    CHECK(plan.lock_bytes == 0);
}

TEST_CASE("an unknown log format in a plan is refused", "[plan][external]") {
    Plan plan = make_plan(mixed(), "r1", "/tmp/run", 7);
    std::string json = plan_to_json(plan.agents[0]);
    json.replace(json.find("\"jsonl\""), 7, "\"xml\"");
    CHECK_THROWS_WITH(plan_from_json(json), Catch::Contains("unknown log format 'xml'"));
}

TEST_CASE("an external agent runs its command with the plan file's absolute path last",
          "[run][external]") {
    Plan plan = make_plan(mixed(), "r1", "/tmp/run", 7);
    plan.plan_files = {"/tmp/run/py-1.plan.json", "/tmp/run/py-2.plan.json",
                       "/tmp/run/worker.plan.json"};
    CHECK(agent_command(plan, 1, "/bin/ipc-agent") ==
          std::vector<std::string>{"/usr/bin/python3", "-u", "/opt/agent.py",
                                   "/tmp/run/py-2.plan.json"});
    CHECK(agent_command(plan, 2, "/bin/ipc-agent") ==
          std::vector<std::string>{"/bin/ipc-agent", "/tmp/run/worker.plan.json"});
    // A plan made without commands (by hand, in a test) runs ipc-agent for every agent.
    plan.commands.clear();
    CHECK(agent_command(plan, 0, "/bin/ipc-agent").front() == "/bin/ipc-agent");
}
