#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

TEST_CASE("check_history decides every checked property, in catalog order", "[check]") {
    const std::vector<PropertyResult> results = check_history(History{});
    std::vector<std::string_view> expected;
    for (const PropertyInfo& info : property_catalog)
        if (info.checked) expected.push_back(info.id);
    REQUIRE(results.size() == expected.size());
    for (std::size_t i = 0; i < results.size(); ++i)
        CHECK(results[i].id == expected[i]);
}

TEST_CASE("this version checks no-lost-update, right after no-torn-read", "[check]") {
    const std::vector<PropertyResult> results = check_history(History{});
    REQUIRE(results.size() == 10);
    CHECK(results[1].id == "no-torn-read");
    CHECK(results[2].id == "no-lost-update");
    CHECK(find_property("no-lost-update")->checked);
    CHECK(results[6].id == "create-open-race"); // catalog order: after delivery
    CHECK(results[7].id == "timed-lock");       // after create-open-race, before progress
    CHECK(results[8].id == "progress");
    CHECK(results[9].id == "fairness"); // the catalog's last
}

TEST_CASE("an empty history passes progress and leaves the rest not applicable", "[check]") {
    for (const PropertyResult& result : check_history(History{})) {
        INFO(result.id);
        CHECK(result.verdict ==
              (result.id == "progress" ? Verdict::pass : Verdict::not_applicable));
    }
}

TEST_CASE("a sound exchange of messages passes every property", "[check]") {
    // alice and bob create-or-open the objects at once (alice creates them); alice writes, bob
    // waits for it and reads it back with an expected text; each then counts once on the shared
    // counter.
    EventRecord alice_opens =
        Event(OpKind::open, 0, 0)
            .flag(event_flag::create_or_open | event_flag::created | event_flag::created_mutex);
    EventRecord bob_opens = Event(OpKind::open, 0, 0).flag(event_flag::create_or_open);
    alice_opens.msg_checksum = bob_opens.msg_checksum = 41;           // one mapping
    alice_opens.computed_checksum = bob_opens.computed_checksum = 42; // one mutex
    Event write(OpKind::write, op_write, 1);
    write.section(1, 100, 150).wrote(1, 1, 7);
    Event poll(OpKind::wait_for, op_wait, 1);
    poll.section(2, 200, 250).saw(1, 1, 7);
    Event check(OpKind::read, op_expect, 2);
    check.section(3, 300, 350).saw(1, 1, 7).flag(event_flag::expect);
    Event alice_counts(OpKind::increment, op_increment, 2);
    alice_counts.section(4, 400, 450).counter_read(0);
    Event bob_counts(OpKind::increment, op_increment, 3);
    bob_counts.section(5, 500, 550).counter_read(1);
    // alice then takes the lock with a 1 ms timed_lock and gets it at once: a section of its own.
    EventRecord timed = Event(OpKind::timed_lock, op_try_lock, 3).in_section(6, 600);
    timed.t_requested = 590;
    timed.msg_writer_seq = 1'000'000;
    Event unlock(OpKind::unlock, op_unlock, 4);
    unlock.section(6, 600, 650);
    const History history =
        history_of({agent(1, "alice", {alice_opens, write, alice_counts, timed, unlock}, labels()),
                    agent(2, "bob", {bob_opens, poll, check, bob_counts}, labels())});
    CheckOptions options;
    options.min_fairness = 0.8; // alice 3 sections, bob 3: Jain's index 1
    options.max_overtakes = 0;
    for (const PropertyResult& result : check_history(history, options)) {
        INFO(result.id << ": " << result.detail);
        CHECK(result.verdict == Verdict::pass);
        CHECK(result.violations == 0);
        CHECK(result.checked > 0);
    }
}

TEST_CASE("verdicts and agent ends have stable names", "[check]") {
    CHECK(to_string(Verdict::pass) == "pass");
    CHECK(to_string(Verdict::fail) == "fail");
    CHECK(to_string(Verdict::not_applicable) == "not-applicable");
    CHECK(to_string(Verdict::unknown) == "unknown");
    CHECK(to_string(AgentEnd::finished) == "finished");
    CHECK(to_string(AgentEnd::error_exit) == "error-exit");
    CHECK(to_string(AgentEnd::crashed) == "crashed");
    CHECK(to_string(AgentEnd::killed_at_timeout) == "killed-at-timeout");
    CHECK(to_string(AgentEnd::killed_by_harness) == "killed-by-harness");
    CHECK(to_string(AgentEnd::not_started) == "not-started");
}
