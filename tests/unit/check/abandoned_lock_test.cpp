// abandoned-lock: a holder dies inside its section; the lock comes back (recovered by
// EOWNERDEAD, or released) or the waiters are ended by the run's timeout (a deadlock: fail).
#include "history_builder.hpp"

#include <catch2/catch.hpp>
#include <csignal>

using namespace ipch;
using namespace ipch::test;
using Catch::Matchers::Contains;

namespace {

Event write(std::uint64_t stamp, std::uint64_t seq) {
    Event event(OpKind::write, op_write, seq);
    event.section(stamp, 100 * stamp, 100 * stamp + 10).wrote(1, seq, 7);
    return event;
}

// An agent that wrote at stamp 1, then crashed holding the lock at stamp 2, at t = 200.
AgentHistory dead_holder() {
    Event crash(OpKind::crash, op_crash, 2);
    crash.unreleased(2, 200);
    return ended(agent(1, "holder", {write(1, 1), crash}, labels()), AgentEnd::crashed, SIGKILL);
}

History with_mutex(std::vector<AgentHistory> agents, MutexKind kind) {
    History history = history_of(std::move(agents));
    history.mutex_kind = kind;
    return history;
}

} // namespace

TEST_CASE("abandoned-lock passes when the next locker recovers the lock", "[abandoned-lock]") {
    Event taken = write(3, 1);
    taken.flag(event_flag::recovered);
    const History history =
        with_mutex({dead_holder(), agent(2, "waiter", {taken}, labels())}, MutexKind::robust_mutex);
    const PropertyResult result = check_one(history, "abandoned-lock");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 1);
    CHECK_THAT(result.detail, Contains("recovered: the next locker got it with EOWNERDEAD"));
    CHECK_THAT(result.detail, Contains("waiter's 'write \"hello {id}\"', stamp 3, 100 ns after"));
    CHECK_THAT(result.detail, Contains("holder's 'crash holding-lock' died holding the lock"));
}

TEST_CASE("abandoned-lock passes when the lock comes back free", "[abandoned-lock]") {
    const History history = with_mutex({dead_holder(), agent(2, "waiter", {write(3, 1)}, labels())},
                                       MutexKind::file_lock);
    const PropertyResult result = check_one(history, "abandoned-lock");
    CHECK(result.verdict == Verdict::pass);
    CHECK_THAT(result.detail, Contains("released: the next locker got it as a free lock"));
}

TEST_CASE("abandoned-lock fails on a deadlock, naming the dead holder and the waiters",
          "[abandoned-lock]") {
    AgentHistory waiter =
        ended(agent(2, "waiter", {write(1, 1)}, labels()), AgentEnd::killed_at_timeout, SIGKILL);
    waiter.current_op = op_lock;
    // A section before the death is no recovery: only stamps after the holder's count.
    const History history = with_mutex({dead_holder(), waiter}, MutexKind::named_mutex);
    const PropertyResult result = check_one(history, "abandoned-lock");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "deadlock: holder's 'crash holding-lock' died holding the lock (stamp 2), and nobody "
          "acquired it after; waiter (in 'lock') still waited when the harness ended the run at "
          "its timeout and killed them");
    CHECK(result.evidence[0].events.at(0).index == 1);
    CHECK_THAT(result.detail, Contains("1 waiter killed at the run's timeout"));
}

TEST_CASE("abandoned-lock does not apply without a death inside a section, a lock, or a waiter",
          "[abandoned-lock]") {
    SECTION("nobody died holding the lock") {
        const History history =
            with_mutex({agent(1, "a", {write(1, 1)}, labels())}, MutexKind::named_mutex);
        CHECK(check_one(history, "abandoned-lock").verdict == Verdict::not_applicable);
    }
    SECTION("no lock under test") {
        const History history = with_mutex({dead_holder()}, MutexKind::none);
        const PropertyResult result = check_one(history, "abandoned-lock");
        CHECK(result.verdict == Verdict::not_applicable);
        CHECK(result.detail == "no lock under test (mutex kind none)");
    }
    SECTION("nobody asked for the lock afterwards") {
        const History history = with_mutex(
            {dead_holder(), agent(2, "other", {write(1, 1)}, labels())}, MutexKind::named_mutex);
        const PropertyResult result = check_one(history, "abandoned-lock");
        CHECK(result.verdict == Verdict::not_applicable);
        CHECK_THAT(result.detail, Contains("nobody asked for the lock afterwards"));
    }
}

TEST_CASE("abandoned-lock is unknown when the run was stopped before its timeout",
          "[abandoned-lock]") {
    AgentHistory waiter =
        ended(agent(2, "waiter", {write(1, 1)}, labels()), AgentEnd::killed_by_harness, SIGKILL);
    const History history = with_mutex({dead_holder(), waiter}, MutexKind::spin);
    const PropertyResult result = check_one(history, "abandoned-lock");
    CHECK(result.verdict == Verdict::unknown);
    CHECK_THAT(result.detail, Contains("stopped before its timeout"));
}
