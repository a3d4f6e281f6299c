#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

Event hold(std::uint64_t seq, std::uint64_t stamp, std::uint64_t acquired, std::uint64_t released) {
    Event event(OpKind::hold, op_hold, seq);
    event.section(stamp, acquired, released);
    return event;
}

// alice and bob take turns: stamps 1..4, each section over before the next begins.
History alternating() {
    return history_of({agent(1, "alice", {hold(1, 1, 100, 200), hold(2, 3, 300, 400)}, labels()),
                       agent(2, "bob", {hold(1, 2, 210, 290), hold(2, 4, 410, 500)}, labels())});
}

} // namespace

TEST_CASE("mutual-exclusion passes when sections take turns", "[mutual-exclusion]") {
    const PropertyResult result = check_one(alternating(), "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 4);
    CHECK(result.evidence.empty());
    CHECK(result.detail == "4 critical sections, stamps 1..4, no overlap");
}

TEST_CASE("mutual-exclusion fails on two sections that overlap in time", "[mutual-exclusion]") {
    // bob acquires at 150 while alice holds the lock until 200: 50 ns inside together.
    const History history = history_of({agent(1, "alice", {hold(1, 1, 100, 200)}, labels()),
                                        agent(2, "bob", {hold(1, 2, 150, 250)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 overlap among 2 critical sections");
    REQUIRE(result.evidence.size() == 1);
    const Evidence& evidence = result.evidence[0];
    CHECK(evidence.summary ==
          "alice's 'hold 1ms' (stamp 1, held from 100 to 200 ns) and bob's 'hold 1ms' (stamp 2, "
          "held from 150 to 250 ns) held the lock at the same time for 50 ns");
    REQUIRE(evidence.events.size() == 2);
    CHECK(evidence.events[0].agent == "alice");
    CHECK(evidence.events[0].agent_id == 1);
    CHECK(evidence.events[0].op_label == "hold 1ms");
    CHECK(evidence.events[0].event.stamp == 1);
    CHECK(evidence.events[1].agent == "bob");
    CHECK(evidence.events[1].event.t_acquired == 150);
}

TEST_CASE("mutual-exclusion allows overlaps within the clock tolerance", "[mutual-exclusion]") {
    const History history = history_of({agent(1, "alice", {hold(1, 1, 100, 200)}, labels()),
                                        agent(2, "bob", {hold(1, 2, 150, 250)}, labels())});
    CHECK(check_one(history, "mutual-exclusion", {50, 5}).verdict == Verdict::pass);
    CHECK(check_one(history, "mutual-exclusion", {49, 5}).verdict == Verdict::fail);
}

TEST_CASE("mutual-exclusion finds a section nested inside a long one", "[mutual-exclusion]") {
    // carol's short section starts after bob's but inside alice's, which releases last.
    const History history = history_of({agent(1, "alice", {hold(1, 1, 100, 1000)}, labels()),
                                        agent(2, "bob", {hold(1, 2, 1100, 1200)}, labels()),
                                        agent(3, "carol", {hold(1, 3, 500, 600)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK_THAT(result.evidence[0].summary, Contains("for 100 ns"));
    CHECK(result.evidence[0].events[0].agent == "alice");
    CHECK(result.evidence[0].events[1].agent == "carol");
}

TEST_CASE("mutual-exclusion fails on a shared stamp", "[mutual-exclusion]") {
    const History history =
        history_of({agent(1, "alice", {hold(1, 1, 100, 200), hold(2, 2, 300, 400)}, labels()),
                    agent(2, "bob", {hold(1, 2, 500, 600), hold(2, 3, 700, 800)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 shared stamp among 4 critical sections");
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'hold 1ms' and bob's 'hold 1ms' both took stamp 2: their increments of the "
          "lock-order counter overlapped");
    CHECK(result.evidence[0].events.size() == 2);
}

TEST_CASE("mutual-exclusion fails on a gap in the stamps", "[mutual-exclusion]") {
    const History history =
        history_of({agent(1, "alice", {hold(1, 1, 100, 200), hold(2, 4, 300, 400)}, labels()),
                    agent(2, "bob", {hold(1, 2, 210, 290)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 gap in the stamps among 3 critical sections");
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "no critical section holds stamp 3, between bob's 'hold 1ms' (stamp 2) and alice's "
          "'hold 1ms' (stamp 4); 1 stamp is missing in all, ops in flight of agents that died "
          "explain at most 0");
}

TEST_CASE("mutual-exclusion excuses any gap while an event log is damaged", "[mutual-exclusion]") {
    // bob's log lost an unknown number of records: the stamps they held are missing, whatever
    // their number, and his ending says nothing about it.
    AgentHistory bob = agent(2, "bob", {hold(1, 2, 210, 290)}, labels());
    bob.log_damage = "truncated: the file holds 1 whole record";
    const History history = history_of(
        {agent(1, "alice", {hold(1, 1, 100, 200), hold(2, 9, 300, 400)}, labels()), bob});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail.find("(6 missing stamps explained by ops in flight when agents died, or "
                             "by records lost from damaged event logs)") != std::string::npos);
    // An overlap is still an overlap: what was recorded is judged.
    AgentHistory overlapping = agent(2, "bob", {hold(1, 2, 150, 290)}, labels());
    overlapping.log_damage = bob.log_damage;
    CHECK(check_one(history_of({agent(1, "alice", {hold(1, 1, 100, 200)}, labels()), overlapping}),
                    "mutual-exclusion")
              .verdict == Verdict::fail);
}

TEST_CASE("mutual-exclusion excuses one missing stamp per agent that died", "[mutual-exclusion]") {
    // bob was killed inside his second section: its stamp (3) was taken, its event never
    // committed, and the owner word he left behind is what alice found at stamp 4.
    const AgentHistory bob =
        ended(agent(2, "bob", {hold(1, 2, 210, 290)}, labels()), AgentEnd::crashed, 9);
    const History history = history_of(
        {agent(1, "alice",
               {hold(1, 1, 100, 200), hold(2, 4, 300, 400).flag(event_flag::owner_busy)}, labels()),
         bob});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "3 critical sections, stamps 1..4, no overlap (1 missing stamp "
                           "explained by ops in flight when agents died, or by records lost from "
                           "damaged event logs)");

    SECTION("but not two") {
        const History worse = history_of(
            {agent(1, "alice", {hold(1, 1, 100, 200), hold(2, 5, 300, 400)}, labels()), bob});
        const PropertyResult failed = check_one(worse, "mutual-exclusion");
        CHECK(failed.verdict == Verdict::fail);
        CHECK(failed.violations == 1);
        REQUIRE(failed.evidence.size() == 1);
        CHECK_THAT(failed.evidence[0].summary, Contains("no critical section holds stamps 3..4") &&
                                                   Contains("2 stamps are missing in all") &&
                                                   Contains("at most 1"));
    }
}

TEST_CASE("mutual-exclusion fails on an owner word busy or changed", "[mutual-exclusion]") {
    const History history =
        history_of({agent(1, "alice",
                          {hold(1, 1, 100, 200).flag(event_flag::owner_busy),
                           hold(2, 3, 300, 400).flag(event_flag::owner_changed)},
                          labels()),
                    agent(2, "bob", {hold(1, 2, 210, 290)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 2);
    CHECK(result.detail == "2 owner-word conflicts among 3 critical sections");
    REQUIRE(result.evidence.size() == 2);
    CHECK(result.evidence[0].summary ==
          "alice's 'hold 1ms' found the owner word set when it acquired the lock (stamp 1): "
          "another agent was still inside");
    CHECK(result.evidence[1].summary ==
          "alice's 'hold 1ms' found the owner word changed when it released the lock (stamp 3): "
          "another agent entered while it was inside");
    CHECK(result.evidence[1].events.at(0).index == 1);
}

TEST_CASE("mutual-exclusion names the agent whose token was in the owner word",
          "[mutual-exclusion]") {
    EventRecord busy = hold(2, 2, 300, 400).flag(event_flag::owner_busy);
    busy.owner_seen = (0x5a5au << 16) | 1u; // this run's salt, agent 1
    const History history = history_of(
        {agent(1, "alice", {hold(1, 1, 100, 200)}, labels()), agent(2, "bob", {busy}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "bob's 'hold 1ms' found the owner word set when it acquired the lock (stamp 2): "
          "alice was still inside");
    CHECK(result.evidence[0].events.at(0).event.owner_seen == busy.owner_seen);
}

TEST_CASE("mutual-exclusion caps evidence but counts every violation", "[mutual-exclusion]") {
    // Ten sections all inside one another: each after the first overlaps an earlier one.
    std::vector<EventRecord> events;
    for (std::uint64_t i = 0; i < 10; ++i)
        events.push_back(hold(i + 1, i + 1, 10 * i, 1000));
    // No labels: ops are named by id.
    const History history = history_of({agent(1, "alice", std::move(events))});
    const PropertyResult result = check_one(history, "mutual-exclusion", {0, 3});
    CHECK(result.violations == 9);
    CHECK(result.evidence.size() == 3);
    CHECK_THAT(result.evidence[0].summary, StartsWith("alice's op #5 (stamp 1"));
    CHECK(result.evidence[0].events[0].op_label == "op #5");
}

TEST_CASE("mutual-exclusion is not applicable without critical sections", "[mutual-exclusion]") {
    const History history =
        history_of({agent(1, "alice", {Event(OpKind::sleep, 0, 1), Event(OpKind::open, 0, 2)})});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no critical sections");
}

TEST_CASE("mutual-exclusion handles many sections in n log n", "[mutual-exclusion][speed]") {
    // 400k sections over four agents, taking turns: quadratic work would not finish.
    constexpr std::uint64_t per_agent = 100'000;
    std::vector<AgentHistory> agents;
    for (std::uint32_t a = 0; a < 4; ++a) {
        std::vector<EventRecord> events;
        events.reserve(per_agent);
        for (std::uint64_t i = 0; i < per_agent; ++i) {
            const std::uint64_t turn = i * 4 + a;
            events.push_back(hold(i + 1, turn + 1, turn * 100, turn * 100 + 90));
        }
        agents.push_back(agent(a + 1, "agent-" + std::to_string(a + 1), std::move(events)));
    }
    const PropertyResult result = check_one(history_of(std::move(agents)), "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 4 * per_agent);
    CHECK(result.detail == "400000 critical sections, stamps 1..400000, no overlap");
}

TEST_CASE("mutual-exclusion orders sections an agent logged out of order", "[mutual-exclusion]") {
    // Each agent's run is sorted only when it needs it; these need it.
    const History history =
        history_of({agent(1, "alice", {hold(1, 3, 500, 600), hold(2, 1, 100, 200)}, labels()),
                    agent(2, "bob", {hold(1, 4, 700, 800), hold(2, 2, 300, 400)}, labels()),
                    agent(3, "carol", {hold(1, 5, 900, 1000)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "5 critical sections, stamps 1..5, no overlap");
}

namespace {

// alice's explicit section at stamp 1: lock, write, read, unlock; the unlock's event is the
// section, the ops inside carry its stamp.
std::vector<EventRecord> explicit_section(std::uint64_t stamp, std::uint64_t acquired,
                                          std::uint64_t released) {
    Event lock(OpKind::lock, op_lock, 1);
    lock.in_section(stamp, acquired);
    Event write(OpKind::write, op_write, 2);
    write.in_section(stamp, acquired + 10).wrote(1, 1, 7);
    Event read(OpKind::read, op_read, 3);
    read.in_section(stamp, acquired + 20).saw(1, 1, 7);
    Event unlock(OpKind::unlock, op_unlock, 4);
    unlock.section(stamp, acquired, released);
    return {lock, write, read, unlock};
}

// bob's crash op, holding the lock since `acquired` with this stamp.
Event crash_holding(std::uint64_t seq, std::uint64_t stamp, std::uint64_t acquired) {
    Event event(OpKind::crash, op_crash, seq);
    event.unreleased(stamp, acquired);
    return event;
}

AgentHistory crashed(AgentHistory history) {
    history = ended(std::move(history), AgentEnd::crashed, 9);
    history.expected_crash = true;
    return history;
}

} // namespace

TEST_CASE("mutual-exclusion counts an explicit section once, as its unlock", "[mutual-exclusion]") {
    // The lock, write and read inside share the unlock's stamp: they are not sections, so they
    // are neither duplicates of it nor of each other.
    std::vector<EventRecord> alice = explicit_section(1, 100, 200);
    alice.push_back(hold(5, 3, 400, 500));
    const History history = history_of(
        {agent(1, "alice", alice, labels()), agent(2, "bob", {hold(1, 2, 210, 290)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 3);
    CHECK(result.detail == "3 critical sections, stamps 1..3, no overlap");

    SECTION("whatever other flags the lock and the ops inside carry") {
        alice[0].flags |= event_flag::critical_section;
        alice[1].flags |= event_flag::critical_section;
        const History flagged = history_of({agent(1, "alice", alice, labels()),
                                            agent(2, "bob", {hold(1, 2, 210, 290)}, labels())});
        const PropertyResult same = check_one(flagged, "mutual-exclusion");
        CHECK(same.verdict == Verdict::pass);
        CHECK(same.checked == 3);
    }

    SECTION("but two explicit sections that share a stamp do") {
        const History shared = history_of({agent(1, "alice", explicit_section(1, 100, 200)),
                                           agent(2, "bob", explicit_section(1, 300, 400))});
        const PropertyResult failed = check_one(shared, "mutual-exclusion");
        CHECK(failed.verdict == Verdict::fail);
        CHECK(failed.detail == "1 shared stamp among 2 critical sections");
        REQUIRE(failed.evidence.size() == 1);
        CHECK(failed.evidence[0].events.at(0).event.kind == OpKind::unlock);
        CHECK(failed.evidence[0].events.at(1).event.kind == OpKind::unlock);
    }
}

TEST_CASE("mutual-exclusion: busy, skipped and timed-out ops hold no section",
          "[mutual-exclusion]") {
    // Even flagged and stamped like sections (stamp 1 again, overlapping alice in time), they
    // never held the lock.
    Event busy(OpKind::try_lock, op_try_lock, 1);
    busy.section(1, 120, 130).outcome(Outcome::busy);
    Event skipped(OpKind::write, op_write, 2);
    skipped.section(1, 140, 150).outcome(Outcome::skipped);
    Event timed_out(OpKind::timed_lock, op_lock, 3);
    timed_out.section(1, 150, 180).outcome(Outcome::timeout);
    const History history =
        history_of({agent(1, "alice", {hold(1, 1, 100, 200)}, labels()),
                    agent(2, "bob", {busy, skipped, timed_out, hold(4, 2, 300, 400)}, labels())});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 2);
    CHECK(result.detail == "2 critical sections, stamps 1..2, no overlap");
}

TEST_CASE("mutual-exclusion: a section a crash left unreleased takes a stamp, not a verdict",
          "[mutual-exclusion]") {
    // bob crashed holding the lock at stamp 2; a robust lock let alice in at stamp 3, where she
    // found bob's id in the owner word.
    const History history = history_of(
        {agent(1, "alice",
               {hold(1, 1, 100, 200),
                hold(2, 3, 400, 500).flag(event_flag::owner_busy).owner_seen((0x5a5au << 16) | 2u)},
               labels()),
         crashed(agent(2, "bob", {crash_holding(1, 2, 250)}, labels()))});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 3);
    // Stamp 2 is taken, not a gap excused by bob's op in flight.
    CHECK(result.detail == "3 critical sections, stamps 1..3, no overlap; 1 section left "
                           "unreleased by a crash: bob at stamp 2");

    SECTION("also inside an explicit section, where the ops before the crash share its stamp") {
        Event lock(OpKind::lock, op_lock, 1);
        lock.in_section(2, 250);
        Event write(OpKind::write, op_write, 2);
        write.in_section(2, 260).wrote(2, 1, 7);
        // In a section of its own making the crash carries the section's stamp, in_section and
        // unreleased; critical_section belongs to the unlock it never reached.
        Event crash(OpKind::crash, op_crash, 3);
        crash.in_section(2, 270).flag(event_flag::unreleased);
        const History inside = history_of(
            {history.agents[0], crashed(agent(2, "bob", {lock, write, crash}, labels()))});
        const PropertyResult same = check_one(inside, "mutual-exclusion");
        CHECK(same.verdict == Verdict::pass);
        CHECK(same.detail == result.detail);
    }

    SECTION("but not when the owner word names a live agent") {
        AgentHistory alice = history.agents[0];
        std::vector<EventRecord> events(alice.events.begin(), alice.events.end());
        events[1].owner_seen = (0x5a5au << 16) | 3u;
        const History other = history_of({agent(1, "alice", events, labels()), history.agents[1],
                                          agent(3, "carol", {hold(1, 4, 600, 700)}, labels())});
        const PropertyResult failed = check_one(other, "mutual-exclusion");
        CHECK(failed.verdict == Verdict::fail);
        CHECK(failed.detail == "1 owner-word conflict among 4 critical sections; 1 section left "
                               "unreleased by a crash: bob at stamp 2");
        REQUIRE(failed.evidence.size() == 1);
        CHECK(failed.evidence[0].summary ==
              "alice's 'hold 1ms' found the owner word set when it acquired the lock (stamp 3): "
              "carol was still inside");
    }
}

TEST_CASE("mutual-exclusion fails on a section held across an unreleased one's acquire",
          "[mutual-exclusion]") {
    // alice holds the lock from 100 to 300; bob acquired it at 200 and crashed inside.
    const History history =
        history_of({agent(1, "alice", {hold(1, 1, 100, 300)}, labels()),
                    crashed(agent(2, "bob", {crash_holding(1, 2, 200)}, labels()))});
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 overlap among 2 critical sections; 1 section left unreleased by a "
                           "crash: bob at stamp 2");
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'hold 1ms' (stamp 1, held from 100 to 300 ns) and bob's 'crash holding-lock' "
          "(stamp 2, acquired at 200 ns, never released: its agent crashed inside) held the lock "
          "at the same time for at least 100 ns");
    CHECK(result.evidence[0].events.at(1).event.kind == OpKind::crash);

    SECTION("even when both acquired at the same instant") {
        const History same_time =
            history_of({agent(1, "alice", {hold(1, 1, 200, 300)}, labels()),
                        crashed(agent(2, "bob", {crash_holding(1, 2, 200)}, labels()))});
        CHECK(check_one(same_time, "mutual-exclusion").violations == 1);
    }
    SECTION("and when it shares its stamp") {
        const History shared =
            history_of({agent(1, "alice", {hold(1, 2, 100, 150)}, labels()),
                        crashed(agent(2, "bob", {crash_holding(1, 2, 200)}, labels()))});
        const PropertyResult failed = check_one(shared, "mutual-exclusion");
        CHECK(failed.detail == "1 shared stamp among 2 critical sections; 1 section left "
                               "unreleased by a crash: bob at stamp 2");
    }
}

TEST_CASE("mutual-exclusion names unreleased sections up to the evidence cap",
          "[mutual-exclusion]") {
    const History history =
        history_of({agent(1, "alice", {hold(1, 1, 100, 200)}, labels()),
                    crashed(agent(2, "bob", {crash_holding(1, 2, 300)}, labels())),
                    crashed(agent(3, "carol", {crash_holding(1, 3, 400)}, labels()))});
    CHECK(check_one(history, "mutual-exclusion", {0, 1}).detail ==
          "3 critical sections, stamps 1..3, no overlap; 2 sections left unreleased by crashes: "
          "bob at stamp 2 and 1 more");
    CHECK(check_one(history, "mutual-exclusion").detail ==
          "3 critical sections, stamps 1..3, no overlap; 2 sections left unreleased by crashes: "
          "bob at stamp 2, carol at stamp 3");
}
