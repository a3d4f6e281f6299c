// fairness: Jain's index of sections per agent against min_fairness, and how often a waiter was
// overtaken (a section that asked for the lock after it did and got it first) against
// max_overtakes. Judged only when the scenario sets a limit.
#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

namespace {

// A write section that asked for the lock at `requested` and held it from `acquired` to
// `released`.
EventRecord write(std::uint64_t seq, std::uint64_t stamp, std::uint64_t requested,
                  std::uint64_t acquired, std::uint64_t released) {
    return Event(OpKind::write, op_write, seq)
        .section(stamp, acquired, released)
        .requested(requested);
}

CheckOptions demanding(std::optional<double> min_fairness, std::optional<std::uint64_t> overtakes) {
    CheckOptions options;
    options.min_fairness = min_fairness;
    options.max_overtakes = overtakes;
    return options;
}

// alice asks at 100 and waits until 1000; meanwhile bob takes the lock three times, each time
// asking after alice did (at 150, 350, 550): alice is overtaken 3 times.
History barging() {
    return history_of(
        {agent(1, "alice", {write(1, 4, 100, 1000, 1100)}, labels()),
         agent(2, "bob",
               {write(1, 1, 150, 200, 300), write(2, 2, 350, 400, 500), write(3, 3, 550, 600, 700)},
               labels())});
}

// The same sections, but bob asked each time before alice got in line (at 50, 60, 70): a queue,
// not a barging lock, so nobody is overtaken.
History queued() {
    return history_of(
        {agent(1, "alice", {write(1, 4, 100, 1000, 1100)}, labels()),
         agent(2, "bob",
               {write(1, 1, 50, 200, 300), write(2, 2, 60, 400, 500), write(3, 3, 70, 600, 700)},
               labels())});
}

} // namespace

TEST_CASE("fairness is measured but not judged when the scenario sets no limit", "[fairness]") {
    const PropertyResult result = check_one(barging(), "fairness");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "Jain's index 0.8 of 2 agents' critical sections; the scenario sets no "
                           "min_fairness or max_overtakes to judge it by");
}

TEST_CASE("fairness fails when a waiter is overtaken more often than allowed", "[fairness]") {
    const PropertyResult result = check_one(barging(), "fairness", demanding({}, 2));
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.checked == 4);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary == "alice's 'write \"hello {id}\"' waited 900 ns for the lock "
                                        "and was overtaken 3 times (bob 3), at most 2 allowed");
    REQUIRE(result.evidence[0].events.size() == 1);
    CHECK(result.evidence[0].events[0].agent == "alice");
    CHECK(result.evidence[0].events[0].event.stamp == 4);
    CHECK(result.detail == "Jain's index 0.8 of 2 agents' critical sections; a waiter overtaken "
                           "at most 3 times (at most 2 allowed)");

    CHECK(check_one(barging(), "fairness", demanding({}, 3)).verdict == Verdict::pass);
}

TEST_CASE("sections that asked before the waiter did are no overtakes", "[fairness]") {
    const PropertyResult result = check_one(queued(), "fairness", demanding({}, 0));
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "Jain's index 0.8 of 2 agents' critical sections; a waiter overtaken "
                           "at most 0 times (at most 0 allowed)");
}

TEST_CASE("a request within the clock tolerance of the waiter's is no overtake", "[fairness]") {
    CheckOptions options = demanding({}, 0);
    CHECK(check_one(barging(), "fairness", options).verdict == Verdict::fail);
    options.tolerance_ns = 400; // bob's 150 and 350 are within 400 ns of alice's 100; 550 is not
    const PropertyResult result = check_one(barging(), "fairness", options);
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary.find("overtaken 1 times (bob 1)") != std::string::npos);
}

TEST_CASE("overtakes are counted in lock order, whoever's sections come between", "[fairness]") {
    // Three agents; carol asks first (10) and gets the lock last (stamp 5). alice (asked 20,
    // stamp 1), bob (30, stamp 2), alice (40, stamp 3), bob (50, stamp 4) all overtake her.
    // Nobody else is overtaken: each of them asked before everyone ahead of it in lock order.
    const History history = history_of(
        {agent(1, "alice", {write(1, 1, 20, 100, 110), write(2, 3, 40, 300, 310)}, labels()),
         agent(2, "bob", {write(1, 2, 30, 200, 210), write(2, 4, 50, 400, 410)}, labels()),
         agent(3, "carol", {write(1, 5, 10, 500, 510)}, labels())});
    const PropertyResult result = check_one(history, "fairness", demanding({}, 3));
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary.find("carol's") == 0);
    CHECK(result.evidence[0].summary.find("overtaken 4 times (alice 2, bob 2)") !=
          std::string::npos);
    CHECK(check_one(history, "fairness", demanding({}, 4)).verdict == Verdict::pass);
}

TEST_CASE("fairness fails when Jain's index is below min_fairness", "[fairness]") {
    // alice 1 section, bob 3: (1 + 3)^2 / (2 * (1 + 9)) = 0.8.
    const PropertyResult result = check_one(barging(), "fairness", demanding(0.85, {}));
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "Jain's index 0.8 of critical sections per agent (alice 1, bob 3), at least 0.85 "
          "required");
    REQUIRE(result.evidence[0].events.size() == 1);
    CHECK(result.evidence[0].events[0].agent == "alice"); // the least served
    CHECK(check_one(barging(), "fairness", demanding(0.8, {})).verdict == Verdict::pass);
}

TEST_CASE("an agent that asks for the lock and never gets it counts as 0", "[fairness]") {
    History history = barging();
    history.agents.push_back(agent(3, "starved", {}, labels()));
    // Shares 1, 3, 0: 16 / (3 * 10) = 0.533.
    const PropertyResult result = check_one(history, "fairness", demanding(0.6, {}));
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary.find("Jain's index 0.533") == 0);
    CHECK(result.evidence[0].summary.find("starved 0") != std::string::npos);
    CHECK(result.evidence[0].events.empty()); // the least served had no section to show

    // One whose ops never ask for the lock is no part of it.
    history.agents.back().shares_lock = false;
    CHECK(check_one(history, "fairness", demanding(0.6, {})).verdict == Verdict::pass);
}

TEST_CASE("evidence of overtakes is capped, the count is not", "[fairness]") {
    // bob asks at 0 and is served last; alice takes 20 sections meanwhile, asking after him each
    // time; then 5 more waiters of alice's own kind.
    std::vector<EventRecord> alice_events;
    for (std::uint64_t i = 0; i < 20; ++i)
        alice_events.push_back(write(i + 1, i + 1, 10 + 100 * i, 50 + 100 * i, 60 + 100 * i));
    const History history = history_of({agent(1, "alice", std::move(alice_events), labels()),
                                        agent(2, "bob", {write(1, 21, 0, 5000, 5010)}, labels())});
    CheckOptions options = demanding({}, 10);
    options.max_evidence = 1;
    const PropertyResult result = check_one(history, "fairness", options);
    CHECK(result.violations == 1);
    CHECK(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary.find("overtaken 20 times (alice 20)") != std::string::npos);
}

TEST_CASE("a section cut short by a crash is not counted", "[fairness]") {
    History history = barging();
    std::vector<EventRecord> events(history.agents[0].events.begin(),
                                    history.agents[0].events.end());
    events.push_back(Event(OpKind::crash, op_crash, 2).unreleased(5, 1200));
    history.agents[0] = agent(1, "alice", std::move(events), labels());
    const PropertyResult result = check_one(history, "fairness", demanding(0.5, 3));
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail.find("Jain's index 0.8 ") == 0); // still 1 and 3
}
