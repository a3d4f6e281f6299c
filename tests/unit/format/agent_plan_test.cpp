#include "ipch/agent_plan.hpp"
#include "ipch/mapping_layout.hpp"

#include <catch2/catch.hpp>
#include <fstream>

using namespace ipch;

namespace {

AgentPlan sample_plan() {
    AgentPlan plan;
    plan.run_id = "abc123";
    plan.agent_id = 2;
    plan.agent_name = "worker-2";
    plan.group = "worker";
    plan.agent_index = 1;
    plan.mapping_name = "ipch-abc123-map";
    plan.mapping_size = 100;
    plan.open_mode = OpenMode::open_existing;
    plan.mutex_kind = MutexKind::none;
    plan.mutex_name = "ipch-abc123-mtx";
    plan.control_name = "ipch-abc123-ctl";
    plan.role = "writer";
    plan.seed = 0x1234567890abcdefull;
    plan.lock_bytes = 64;
    plan.agent_count = 4;
    plan.start_timeout_ns = 5'000'000'000;
    plan.log_path = "worker-2.events";
    plan.log_capacity = 77;
    PlanOp repeat;
    repeat.id = 1;
    repeat.is_repeat = true;
    repeat.count = 3;
    PlanOp write;
    write.id = 2;
    write.kind = OpKind::write;
    write.text = "hello {agent} {seq}";
    PlanOp read;
    read.id = 3;
    read.kind = OpKind::read;
    read.has_expect = true;
    read.text = "x";
    PlanOp wait;
    wait.id = 4;
    wait.kind = OpKind::wait_for;
    wait.text = "y";
    wait.duration_ns = 1000;
    repeat.ops = {write, read, wait};
    PlanOp hold;
    hold.id = 5;
    hold.kind = OpKind::hold;
    hold.duration_ns = 10;
    plan.ops = {repeat, hold};
    return plan;
}

void require_same_ops(const std::vector<PlanOp>& a, const std::vector<PlanOp>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].id == b[i].id);
        CHECK(a[i].is_repeat == b[i].is_repeat);
        if (a[i].is_repeat) {
            CHECK(a[i].count == b[i].count);
            require_same_ops(a[i].ops, b[i].ops);
            continue;
        }
        CHECK(a[i].kind == b[i].kind);
        CHECK(a[i].text == b[i].text);
        CHECK(a[i].has_expect == b[i].has_expect);
        CHECK(a[i].duration_ns == b[i].duration_ns);
    }
}

} // namespace

TEST_CASE("a plan survives its JSON form unchanged", "[plan]") {
    const AgentPlan plan = sample_plan();
    const std::string json = plan_to_json(plan);
    const AgentPlan back = plan_from_json(json);
    CHECK(back.run_id == plan.run_id);
    CHECK(back.agent_id == plan.agent_id);
    CHECK(back.agent_name == plan.agent_name);
    CHECK(back.group == plan.group);
    CHECK(back.agent_index == plan.agent_index);
    CHECK(back.mapping_name == plan.mapping_name);
    CHECK(back.mapping_size == plan.mapping_size);
    CHECK(back.open_mode == plan.open_mode);
    CHECK(back.mutex_kind == plan.mutex_kind);
    CHECK(back.mutex_name == plan.mutex_name);
    CHECK(back.permissions == plan.permissions);
    CHECK(back.control_name == plan.control_name);
    CHECK(back.role == plan.role);
    CHECK(back.seed == plan.seed);
    CHECK(back.lock_bytes == plan.lock_bytes);
    CHECK(back.agent_count == plan.agent_count);
    CHECK(back.start_timeout_ns == plan.start_timeout_ns);
    CHECK(back.log_path == plan.log_path);
    CHECK(back.log_capacity == plan.log_capacity);
    require_same_ops(back.ops, plan.ops);
    CHECK(plan_to_json(back) == json);
}

TEST_CASE("a damaged plan is refused with a readable reason", "[plan]") {
    CHECK_THROWS_WITH(plan_from_json("{"), Catch::Contains("invalid plan"));
    CHECK_THROWS_WITH(plan_from_json(R"({"format": "something-else"})"),
                      Catch::Contains("not an ipch agent plan"));
    std::string json = plan_to_json(sample_plan());
    const std::string version = "\"version\": " + std::to_string(agent_plan_version);
    json.replace(json.find(version), version.size(), "\"version\": 99");
    CHECK_THROWS_WITH(plan_from_json(json), Catch::Contains("version 99 is not supported"));
    std::string unknown = plan_to_json(sample_plan());
    unknown.replace(unknown.find("\"hold\""), 6, "\"juggle\"");
    CHECK_THROWS_WITH(plan_from_json(unknown), Catch::Contains("unknown op 'juggle'"));
}

TEST_CASE("templates expand the agent's fields and leave the rest alone", "[plan]") {
    const AgentPlan plan = sample_plan();
    CHECK(expand_template("hello {agent} {seq}", plan, 7) == "hello worker-2 7");
    CHECK(expand_template("{group}/{id}/{run}", plan, 1) == "worker/2/abc123");
    CHECK(expand_template("{unknown} {agent", plan, 1) == "{unknown} {agent");
    CHECK(expand_template("no braces", plan, 1) == "no braces");
}

TEST_CASE("the mapping layout: header, payload, then the 8-byte tail guard", "[layout]") {
    const auto classic = mapping_layout(100, 0);
    REQUIRE(classic);
    CHECK(classic->header_offset == 0);
    CHECK(classic->payload_offset == 48);
    CHECK(classic->capacity == 44); // 100 - 48 of header - 8 of guard
    CHECK(classic->guard_offset == 92);
    CHECK(classic->payload_offset + classic->capacity == classic->guard_offset);

    const auto with_lock = mapping_layout(200, 40);
    REQUIRE(with_lock);
    CHECK(with_lock->header_offset == 40);
    CHECK(with_lock->capacity == 200 - 40 - 48 - 8);
    CHECK(with_lock->guard_offset == 192);

    CHECK(min_mapping_size(0) == 57);
    CHECK(min_mapping_size(in_mapping_lock_bytes) == 185);
    CHECK_FALSE(mapping_layout(56, 0));
    CHECK(mapping_layout(57, 0)->capacity == 1);
    CHECK_FALSE(mapping_layout(184, in_mapping_lock_bytes));
    CHECK(mapping_layout(185, in_mapping_lock_bytes)->capacity == 1);
}

TEST_CASE("the message checksum is XXH64 with seed 0", "[layout]") {
    // Reference values of XXH64(seed 0), which other implementations (the Python example
    // agent) must reproduce.
    CHECK(message_checksum("", 0) == 0xEF46DB3751D8E999ull);
    CHECK(message_checksum("a", 1) == 0xD24EC4F1A98C6E5Bull);
}

TEST_CASE("owner tokens tell this run's agents apart from another run's", "[plan]") {
    AgentPlan a = sample_plan();
    AgentPlan b = sample_plan();
    b.agent_id = 3;
    CHECK((owner_token(a) & 0xffff) == 2);
    CHECK((owner_token(b) & 0xffff) == 3);
    CHECK((owner_token(a) >> 16) == (owner_token(b) >> 16));
    CHECK((owner_token(a) >> 16) != 0);
    AgentPlan other_run = sample_plan();
    other_run.run_id = "def456";
    CHECK((owner_token(other_run) >> 16) != (owner_token(a) >> 16));
}

TEST_CASE("the plan shown in docs/agent-protocol.md is a plan the agent reads", "[plan][docs]") {
    std::ifstream doc(std::string(IPCH_SOURCE_DIR) + "/docs/agent-protocol.md");
    std::string line, json;
    bool in_block = false;
    while (std::getline(doc, line)) {
        if (!in_block && line == "```json") {
            in_block = true;
        } else if (in_block && line.rfind("```", 0) == 0) {
            break;
        } else if (in_block) {
            json += line + "\n";
        }
    }
    REQUIRE_FALSE(json.empty());
    const AgentPlan plan = plan_from_json(json);
    CHECK(plan.mapping_name == "YourMemoryMappedFileName");
    CHECK(plan.control_name == "ipch-" + plan.run_id + "-ctl");
    REQUIRE(plan.ops.size() == 4);
    CHECK(plan.ops[3].is_repeat);
    CHECK(plan.ops[3].ops.at(0).kind == OpKind::hold);
}

TEST_CASE("a plan's seeded faults survive its JSON form, and a plan without faults names none",
          "[plan][faults]") {
    AgentPlan plan = sample_plan();
    CHECK(plan_to_json(plan).find("faults") == std::string::npos);
    plan.faults = {{FaultKind::skip_lock, 0.25}, {FaultKind::classic, 1.0}};
    const std::string json = plan_to_json(plan);
    CHECK(json.find("\"kind\": \"skip-lock\"") != std::string::npos);
    const AgentPlan back = plan_from_json(json);
    REQUIRE(back.faults.size() == 2);
    CHECK(back.faults[0].kind == FaultKind::skip_lock);
    CHECK(back.faults[0].probability == 0.25);
    CHECK(back.faults[1].kind == FaultKind::classic);
    CHECK(back.faults[1].probability == 1.0);
    CHECK(plan_to_json(back) == json);

    std::string unknown = json;
    unknown.replace(unknown.find("\"skip-lock\""), 11, "\"skip-lick\"");
    CHECK_THROWS_WITH(plan_from_json(unknown), Catch::Contains("unknown fault 'skip-lick'"));
    std::string too_likely = json;
    too_likely.replace(too_likely.find("0.25"), 4, "1.25");
    CHECK_THROWS_WITH(plan_from_json(too_likely), Catch::Contains("expected a number from 0 to 1"));
}

TEST_CASE("every fault kind has its own name", "[plan][faults]") {
    std::vector<std::string_view> names;
    for (const FaultKind kind : fault_kinds)
        names.push_back(to_string(kind));
    CHECK(names == std::vector<std::string_view>{"skip-lock", "early-release", "torn-write",
                                                 "stale-read", "lost-increment", "double-unlock",
                                                 "classic"});
}

TEST_CASE("a plan's timing survives its JSON form, and a full, auto plan names none",
          "[plan][timing]") {
    AgentPlan plan = sample_plan();
    CHECK(plan_to_json(plan).find("timing") == std::string::npos);
    CHECK(plan_from_json(plan_to_json(plan)).timing == TimingMode::full);
    plan.timing = TimingMode::sampled;
    plan.sample_every = 16;
    plan.clock = ClockChoice::monotonic;
    const std::string json = plan_to_json(plan);
    CHECK(json.find("\"mode\": \"sampled\"") != std::string::npos);
    const AgentPlan back = plan_from_json(json);
    CHECK(back.timing == TimingMode::sampled);
    CHECK(back.sample_every == 16);
    CHECK(back.clock == ClockChoice::monotonic);
    CHECK(plan_to_json(back) == json);

    std::string unknown = json;
    unknown.replace(unknown.find("\"sampled\""), 9, "\"sampld\"");
    CHECK_THROWS_WITH(plan_from_json(unknown), Catch::Contains("sampld"));
    std::string zero = json;
    zero.replace(zero.find("\"sample_every\": 16"), 18, "\"sample_every\": 0");
    CHECK_THROWS_WITH(plan_from_json(zero), Catch::Contains("sample_every must be at least 1"));
}
