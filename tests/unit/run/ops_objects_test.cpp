// open, close, remove, and ops that need the objects while they are not open: real agents.
#include "agent_runs.hpp"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace ipch;
using namespace ipch::test;

TEST_CASE("an open_existing of a missing name records ENOENT and the agent goes on", "[ops]") {
    const AgentRun run = run_scenario(scenario_of(
        {agent("a", {open_op(OpenMode::open_existing), write_op("lost"),
                     open_op(OpenMode::create_only), write_op("kept"), read_expecting("kept")})}));
    const AgentHistory& a = run.agent("a");
    CHECK(a.end == AgentEnd::finished);
    REQUIRE(a.events.size() == 5);
    // An agent with an open op opens nothing at start: its first event is op 1, not op 0.
    CHECK(a.events[0].op_id == 1);
    CHECK(a.events[0].kind == OpKind::open);
    CHECK(a.events[0].outcome == Outcome::error);
    CHECK(a.events[0].error == ENOENT);
    CHECK(a.events[1].kind == OpKind::write);
    CHECK(a.events[1].error == event_error::not_open);
    CHECK(a.events[2].outcome == Outcome::ok);
    CHECK(a.events[3].outcome == Outcome::ok);
    CHECK(a.events[4].kind == OpKind::read);
    CHECK(a.events[4].outcome == Outcome::ok);
}

TEST_CASE("a create_only of an existing name records EEXIST", "[ops]") {
    // The creator opens at start (no open op); the second agent opens only through its op,
    // after the start barrier, when the objects exist.
    const AgentRun run = run_scenario(scenario_of(
        {agent("creator", {}), agent("late", {open_op(OpenMode::create_only), write_op("x")})}));
    const auto events = run.agent("late").events;
    REQUIRE(events.size() == 2);
    CHECK(events[0].error == EEXIST);
    CHECK(events[1].error == event_error::not_open);
    CHECK(run.agent("creator").events[0].op_id == 0); // opened at start, as before
}

TEST_CASE("close drops the objects: a write after it is not_open, so is a second close", "[ops]") {
    const AgentRun run = run_scenario(scenario_of(
        {agent("a", {open_op(OpenMode::create_or_open), write_op("one"), op(OpKind::close),
                     write_op("two"), op(OpKind::close), op(OpKind::increment),
                     open_op(OpenMode::open_existing), read_expecting("one")})}));
    const AgentHistory& a = run.agent("a");
    CHECK(a.end == AgentEnd::finished);
    REQUIRE(a.events.size() == 8);
    CHECK(a.events[1].outcome == Outcome::ok);
    CHECK(a.events[2].kind == OpKind::close);
    CHECK(a.events[2].outcome == Outcome::ok);
    CHECK(a.events[3].error == event_error::not_open);
    CHECK(a.events[4].kind == OpKind::close);
    CHECK(a.events[4].error == event_error::not_open);
    CHECK(a.events[5].error == event_error::not_open);
    // The mapping outlived the close (the harness owns the names): reopened, "one" is there.
    CHECK(a.events[6].outcome == Outcome::ok);
    CHECK(a.events[7].outcome == Outcome::ok);
}

TEST_CASE("remove removes the names, and a second remove is ENOENT, and holders keep their objects",
          "[ops]") {
    const AgentRun run = run_scenario(scenario_of(
        {agent("holder",
               {barrier_op("removed"), write_op("still here"), read_expecting("still here")}),
         agent("remover", {op(OpKind::remove), op(OpKind::remove), barrier_op("removed"),
                           open_op(OpenMode::open_existing)})}));
    const AgentHistory& remover = run.agent("remover");
    const auto removes = events_of(remover, OpKind::remove);
    REQUIRE(removes.size() == 2);
    CHECK(removes[0].outcome == Outcome::ok);
    CHECK(removes[1].outcome == Outcome::error);
    CHECK(removes[1].error == ENOENT);
    const auto opens = events_of(remover, OpKind::open);
    REQUIRE(opens.size() == 2); // at start (its first op is not an open), then the open op
    CHECK(opens[0].outcome == Outcome::ok);
    CHECK(opens[1].error == ENOENT); // the name is gone
    const AgentHistory& holder = run.agent("holder");
    CHECK(holder.end == AgentEnd::finished);
    for (const EventRecord& event : holder.events)
        CHECK(event.outcome == Outcome::ok);
}
