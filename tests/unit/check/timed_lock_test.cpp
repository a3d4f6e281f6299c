// timed-lock: a timed_lock gives up at its deadline, not before and not long after; one that
// acquires does so by its deadline. Each failure way has a history that makes it fail.
#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

namespace {

constexpr std::uint64_t ms = 1'000'000;

// A timed_lock of `timeout` asked for at 1000 ns that gave up after `waited`.
EventRecord gave_up(std::uint64_t timeout, std::uint64_t waited) {
    EventRecord event = Event(OpKind::timed_lock, op_try_lock, 1).outcome(Outcome::timeout);
    event.t_requested = 1000;
    event.t_released = 1000 + waited;
    event.msg_writer_seq = timeout;
    return event;
}

// A timed_lock of `timeout` that acquired after `waited`, opening a section at stamp 1.
EventRecord acquired(std::uint64_t timeout, std::uint64_t waited) {
    EventRecord event = Event(OpKind::timed_lock, op_try_lock, 1).in_section(1, 1000 + waited);
    event.t_requested = 1000;
    event.msg_writer_seq = timeout;
    return event;
}

PropertyResult timed_lock_of(std::vector<EventRecord> events) {
    return check_one(history_of({agent(1, "alice", std::move(events), labels())}), "timed-lock");
}

} // namespace

TEST_CASE("timed-lock passes a give-up at the deadline and an acquire before it", "[timed-lock]") {
    const PropertyResult result =
        timed_lock_of({gave_up(50 * ms, 50 * ms + 300'000), acquired(50 * ms, 2 * ms)});
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 2);
    CHECK(result.detail == "2 timed_locks, 1 gave up, each at its deadline (deadline tolerance: "
                           "1.000 ms early, 100.000 ms late)");
}

TEST_CASE("timed-lock fails a give-up before the deadline", "[timed-lock]") {
    const PropertyResult result = timed_lock_of({gave_up(50 * ms, 20 * ms)});
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary == "alice's 'try_lock' gave up early after 20.000 ms, its "
                                        "timeout being 50.000 ms (tolerance 1.000 ms)");
    // Within the early tolerance, it is clock granularity, not a violation.
    CHECK(timed_lock_of({gave_up(50 * ms, 50 * ms - 500'000)}).verdict == Verdict::pass);
}

TEST_CASE("timed-lock fails a give-up long after the deadline", "[timed-lock]") {
    const PropertyResult result = timed_lock_of({gave_up(50 * ms, 400 * ms)});
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary == "alice's 'try_lock' gave up late after 400.000 ms, its "
                                        "timeout being 50.000 ms (tolerance 100.000 ms)");
    CheckOptions lenient;
    lenient.timed_lock_late_ns = 500 * ms;
    CHECK(check_one(history_of({agent(1, "alice", {gave_up(50 * ms, 400 * ms)}, labels())}),
                    "timed-lock", lenient)
              .verdict == Verdict::pass);
}

TEST_CASE("timed-lock fails an acquire long past the deadline", "[timed-lock]") {
    const PropertyResult result = timed_lock_of({acquired(10 * ms, 300 * ms)});
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'try_lock' acquired past its deadline after 300.000 ms, its timeout being "
          "10.000 ms (tolerance 100.000 ms)");
}

TEST_CASE("timed-lock is not applicable without a timed_lock that says its timeout",
          "[timed-lock]") {
    CHECK(timed_lock_of({}).verdict == Verdict::not_applicable);
    CHECK(timed_lock_of({gave_up(0, 20 * ms)}).verdict == Verdict::not_applicable);
}
