#include "history_builder.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>

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
    REQUIRE(results.size() == checked_property_count());
    const auto position = [&](std::string_view id) {
        return std::find_if(results.begin(), results.end(),
                            [&](const PropertyResult& result) { return result.id == id; }) -
               results.begin();
    };
    CHECK(position("no-lost-update") == position("no-torn-read") + 1);
    CHECK(find_property("no-lost-update")->checked);
    CHECK(position("timed-lock") + 1 == position("progress")); // catalog order
    CHECK(results.back().id == "fairness");                    // the catalog's last
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
    // alice opens (create_or_open) at start and tries a write too large for the payload, which
    // is refused; carol's open_existing of the mapping, before anyone created it, found nothing.
    Event too_large(OpKind::write, op_write, 5);
    too_large.error(event_error::too_large).length(101);
    Event missing(OpKind::open, 0, 0);
    missing.error(ENOENT);
    AgentHistory carol = agent(3, "carol", {missing}, labels());
    carol.open_existing_ops = {0};
    carol.shares_lock = false; // she never asks for the lock: fairness does not count her
    carol.expected_errors = {{OpKind::open, "not found"}};
    History history = history_of(
        {agent(1, "alice", {alice_opens, write, alice_counts, timed, unlock, too_large}, labels()),
         agent(2, "bob", {bob_opens, poll, check, bob_counts}, labels()), std::move(carol)});
    history.agents[0].expected_errors = {{OpKind::write, "too large"}};
    // The mapping and its mutex after the run: owner-only, the guard intact, the message kept.
    history.objects = {mapping_object(), mutex_object()};
    CheckOptions options;
    options.min_fairness = 0.8; // alice 3 sections, bob 3: Jain's index 1
    options.max_overtakes = 0;
    // Properties about situations this exchange does not have (a holder's death) do not apply.
    const std::vector<std::string> other_situations = {"abandoned-lock"};
    for (const PropertyResult& result : check_history(history, options)) {
        INFO(result.id << ": " << result.detail);
        if (std::find(other_situations.begin(), other_situations.end(), result.id) !=
            other_situations.end()) {
            CHECK(result.verdict == Verdict::not_applicable);
            continue;
        }
        // persistence is reported, not judged.
        CHECK(result.verdict == (result.id == "persistence" ? Verdict::observed : Verdict::pass));
        CHECK(result.violations == 0);
        CHECK(result.checked > 0);
    }
}

TEST_CASE("verdicts and agent ends have stable names", "[check]") {
    CHECK(to_string(Verdict::pass) == "pass");
    CHECK(to_string(Verdict::fail) == "fail");
    CHECK(to_string(Verdict::not_applicable) == "not-applicable");
    CHECK(to_string(Verdict::unknown) == "unknown");
    CHECK(to_string(Verdict::observed) == "observed");
    CHECK(to_string(AgentEnd::finished) == "finished");
    CHECK(to_string(AgentEnd::error_exit) == "error-exit");
    CHECK(to_string(AgentEnd::crashed) == "crashed");
    CHECK(to_string(AgentEnd::killed_at_timeout) == "killed-at-timeout");
    CHECK(to_string(AgentEnd::killed_by_harness) == "killed-by-harness");
    CHECK(to_string(AgentEnd::not_started) == "not-started");
}
