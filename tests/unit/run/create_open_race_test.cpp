// create-open-race with real agents: eight create-or-open the objects at once over every mapping
// kind and exactly one creates each; the open events say who created what and which objects
// they opened; and a run where an agent creates an object of its own fails the property.
#include "agent_runs.hpp"
#include "check.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

namespace {

PropertyResult race_result(const RunReport& report) {
    for (PropertyResult& result : check_history(report.history))
        if (result.id == "create-open-race") return result;
    FAIL("no create-open-race result");
    return {};
}

// Each agent's first open event.
std::vector<EventRecord> first_opens(const RunReport& report) {
    std::vector<EventRecord> opens;
    for (const AgentHistory& agent : report.history.agents) {
        const auto events = events_of(agent, OpKind::open);
        REQUIRE_FALSE(events.empty());
        opens.push_back(events.front());
    }
    return opens;
}

std::size_t count_flag(const std::vector<EventRecord>& events, std::uint32_t flag) {
    std::size_t count = 0;
    for (const EventRecord& event : events)
        count += has_flags(event, flag) ? 1 : 0;
    return count;
}

} // namespace

TEST_CASE("eight agents create-or-open at once over every mapping kind: exactly one creates",
          "[create-open-race]") {
    const MappingKind mapping = GENERATE(MappingKind::shm, MappingKind::file, MappingKind::xsi);
    const MutexKind mutex =
        GENERATE(MutexKind::named_mutex, MutexKind::file_lock, MutexKind::robust_mutex);
    INFO("mapping " << to_string(mapping) << ", mutex " << to_string(mutex));
    Scenario scenario = scenario_of({agent("racer", {write_op("{agent}"), read_op()}, 8)}, mutex);
    scenario.mapping.kind = mapping;
    const AgentRun run = run_scenario(scenario);

    const std::vector<EventRecord> opens = first_opens(run.report);
    REQUIRE(opens.size() == 8);
    CHECK(count_flag(opens, event_flag::create_or_open) == 8);
    CHECK(count_flag(opens, event_flag::created) == 1);
    // The lock-area kinds have no named object: nobody creates one.
    CHECK(count_flag(opens, event_flag::created_mutex) ==
          (mutex == MutexKind::robust_mutex ? 0 : 1));
    CHECK(count_flag(opens, event_flag::not_zero) == 0);
    for (const EventRecord& open : opens) {
        CHECK(open.outcome == Outcome::ok);
        CHECK(open.msg_writer == 0);
        CHECK_FALSE(has_flags(open, event_flag::observed));
        CHECK_FALSE(has_flags(open, event_flag::written));
        CHECK(open.msg_checksum == opens.front().msg_checksum);
        CHECK(open.computed_checksum == opens.front().computed_checksum);
    }
    // An inode is never 0; an xsi segment's shmid may be.
    if (mapping != MappingKind::xsi) CHECK(opens.front().msg_checksum != 0);
    CHECK((opens.front().computed_checksum != 0) == (mutex != MutexKind::robust_mutex));

    const PropertyResult result = race_result(run.report);
    INFO(result.detail);
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 8);
}

TEST_CASE("the classic's one creator and one open_existing: no race to judge",
          "[create-open-race]") {
    AgentSpec app2 = agent("app2", {read_op()});
    app2.open_mode = OpenMode::open_existing;
    const AgentRun run = run_scenario(scenario_of({agent("app1", {write_op("hello")}), app2}));
    const std::vector<EventRecord> opens = first_opens(run.report);
    CHECK(has_flags(opens[0],
                    event_flag::create_or_open | event_flag::created | event_flag::created_mutex));
    CHECK((opens[1].flags &
           (event_flag::create_or_open | event_flag::created | event_flag::created_mutex)) == 0);
    CHECK(opens[1].msg_checksum == opens[0].msg_checksum); // the same objects
    CHECK(opens[1].computed_checksum == opens[0].computed_checksum);
    CHECK(race_result(run.report).verdict == Verdict::not_applicable);
}

TEST_CASE("agents that create-or-open different objects fail create-open-race",
          "[create-open-race][negative]") {
    // `stray` is given a mapping name of its own (as a library that spells names its own way
    // would open one): it creates a second mapping while `first` creates the run's, both in the
    // same open phase. It removes its mapping at the end (the harness knows only the run's).
    const MappingKind mapping = GENERATE(MappingKind::shm, MappingKind::file, MappingKind::xsi);
    INFO("mapping " << to_string(mapping));
    Scenario scenario =
        scenario_of({agent("first", {read_op(), barrier_op("done")}),
                     agent("stray", {read_op(), barrier_op("done"), op(OpKind::remove)})});
    scenario.mapping.kind = mapping;
    const AgentRun run = run_scenario(scenario, 1, [](Plan& plan) {
        AgentPlan& stray = plan.agents.at(1);
        stray.mapping_name += "-stray";
        stray.mapping_path = mapping_file_name(stray.mapping_name);
        stray.mapping_key = xsi_key_for(stray.mapping_name);
    });
    const std::vector<EventRecord> opens = first_opens(run.report);
    CHECK(count_flag(opens, event_flag::created) == 2);
    CHECK(opens[0].msg_checksum != opens[1].msg_checksum);
    CHECK(events_of(run.agent("stray"), OpKind::remove).at(0).outcome == Outcome::ok);

    const PropertyResult result = race_result(run.report);
    INFO(result.detail);
    REQUIRE(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 2);
    CHECK(result.evidence[0].summary ==
          "2 agents created the mapping: first's '#0 open (create_or_open)' and stray's '#0 "
          "open (create_or_open)'");
    CHECK_THAT(
        result.evidence[1].summary,
        Catch::Matchers::StartsWith("stray's '#0 open (create_or_open)' opened mapping object ") &&
            Catch::Matchers::Contains(", first's '#0 open (create_or_open)' object "));
}
