#include "history_builder.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace ipch;
using namespace ipch::test;
using Catch::Matchers::Contains;

namespace {

Event write(std::uint64_t seq) {
    Event event(OpKind::write, op_write, seq);
    event.section(seq, 100 * seq, 100 * seq + 10).wrote(1, seq, 7);
    return event;
}

} // namespace

TEST_CASE("progress passes when every agent finishes", "[progress]") {
    AgentHistory crasher =
        ended(agent(3, "carol", {write(1)}, labels()), AgentEnd::crashed, SIGKILL);
    crasher.expected_crash = true;
    const History history = history_of(
        {agent(1, "alice", {write(1), write(2)}, labels()), agent(2, "bob", {}), crasher});
    const PropertyResult result = check_one(history, "progress");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 3);
    CHECK(result.detail == "2 agents finished, 1 crashed as expected, no op failed");
}

TEST_CASE("progress fails on each way an agent can stop early", "[progress]") {
    AgentHistory exited = agent(1, "alice", {write(1), write(2).error(ENOENT)}, labels());
    exited.end = AgentEnd::error_exit;
    exited.exit_code = 3;
    const History history = history_of(
        {exited, ended(agent(2, "bob", {write(1)}, labels()), AgentEnd::crashed, SIGSEGV),
         ended(agent(3, "carol", {}), AgentEnd::killed_at_timeout, SIGKILL),
         ended(agent(4, "dave", {}), AgentEnd::not_started)});
    const PropertyResult result = check_one(history, "progress", {0, 10});
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 5); // four ends and one failed op
    CHECK(result.detail == "4 of 4 agents did not finish, 1 failed op");
    REQUIRE(result.evidence.size() == 5);
    CHECK(result.evidence[0].summary ==
          "alice exited with code 3; its last event was alice's 'write \"hello {id}\"' (error: "
          "No such file or directory (not found, errno 2))");
    CHECK(result.evidence[0].events.at(0).index == 1);
    CHECK(result.evidence[1].summary == "bob was killed by SIGSEGV; its last event was bob's "
                                        "'write \"hello {id}\"' (ok)");
    CHECK(result.evidence[2].summary ==
          "carol was still running at the scenario's timeout, so the harness killed it "
          "(SIGKILL); it recorded no event");
    CHECK(result.evidence[2].events.empty());
    CHECK(result.evidence[3].summary == "dave never started: the spawn failed");
    CHECK(result.evidence[4].summary ==
          "alice's 'write \"hello {id}\"' failed: No such file or directory (not found, errno 2)");
}

TEST_CASE("progress says where a stopped agent was, as the control object last saw it",
          "[progress]") {
    AgentHistory holding =
        ended(agent(1, "alice", {write(1)}, labels()), AgentEnd::killed_at_timeout, SIGKILL);
    holding.released = true;
    holding.current_op = op_hold;
    AgentHistory waiting =
        ended(agent(2, "bob", {}, labels()), AgentEnd::killed_by_harness, SIGKILL);
    waiting.released = false;
    const PropertyResult result = check_one(history_of({holding, waiting}), "progress");
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 2);
    CHECK(result.evidence[0].summary ==
          "alice was still running at the scenario's timeout, so the harness killed it "
          "(SIGKILL); it was in 'hold 1ms'; its last event was alice's 'write \"hello {id}\"' "
          "(ok)");
    CHECK(result.evidence[1].summary ==
          "bob was killed by the harness before it finished (SIGKILL); it had not yet passed the "
          "start barrier; it recorded no event");
}

TEST_CASE("progress fails on an op that failed, naming ipch's own errors", "[progress]") {
    const History history = history_of(
        {agent(1, "alice", {write(1).error(event_error::too_large), write(2)}, labels())});
    const PropertyResult result = check_one(history, "progress");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 failed op");
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary == "alice's 'write \"hello {id}\"' failed: a write larger "
                                        "than the mapping's payload (too large, ipch error 10001)");
    CHECK(result.evidence[0].events.at(0).event.error == event_error::too_large);
}

TEST_CASE("progress mentions a damaged log", "[progress]") {
    AgentHistory alice = agent(1, "alice", {write(1)}, labels());
    alice.log_damage = "committed 5 records, beyond the 1 the file holds";
    AgentHistory bob = ended(agent(2, "bob", {}), AgentEnd::killed_by_harness, SIGTERM);
    bob.log_damage = "no event log";
    const PropertyResult result = check_one(history_of({alice, bob}), "progress");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 2);
    CHECK(result.detail == "1 of 2 agents did not finish, 1 damaged event log");
    REQUIRE(result.evidence.size() == 2);
    CHECK(result.evidence[0].summary ==
          "alice finished, but its event log is damaged: committed 5 records, beyond the 1 the "
          "file holds; its last event was alice's 'write \"hello {id}\"' (ok)");
    CHECK_THAT(result.evidence[1].summary,
               Contains("bob was killed by the harness before it finished (SIGTERM)") &&
                   Contains("its event log: no event log"));
}
