// Contention figures on small histories whose answers are worked out by hand in each test.
#include "metrics.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <numeric>
#include <random>

using namespace ipch;

namespace {

// A critical section requested at `requested`, entered at `acquired`, left at `released`.
EventRecord section(std::uint64_t requested, std::uint64_t acquired, std::uint64_t released,
                    OpKind kind = OpKind::write) {
    EventRecord event{};
    event.kind = kind;
    event.flags = event_flag::critical_section;
    event.t_requested = requested;
    event.t_acquired = acquired;
    event.t_released = released;
    return event;
}

EventRecord plain(OpKind kind, std::uint32_t flags = 0) {
    EventRecord event{};
    event.kind = kind;
    event.flags = flags;
    event.t_requested = 5;
    event.t_released = 7;
    return event;
}

AgentHistory agent_with(std::vector<EventRecord> events) {
    auto storage = std::make_shared<std::vector<EventRecord>>(std::move(events));
    AgentHistory agent;
    agent.events = *storage;
    agent.storage = storage;
    return agent;
}

// alice: two sections (waits 10 and 50 ns), an op inside an explicit section (no section of its
// own), a sleep; bob: one section (wait 10 ns), and one cut short by a crash (never left).
History sample() {
    EventRecord unreleased = section(900, 1000, 0, OpKind::crash);
    unreleased.flags |= event_flag::unreleased;
    History history;
    history.agents.push_back(
        agent_with({section(90, 100, 200), plain(OpKind::write, event_flag::in_section),
                    section(250, 300, 350, OpKind::read), plain(OpKind::sleep)}));
    history.agents.push_back(agent_with({section(200, 210, 290), unreleased}));
    return history;
}

} // namespace

TEST_CASE("critical sections are counted per agent, without unreleased ones", "[metrics]") {
    CHECK(sections_per_agent(sample()) == std::vector<std::uint64_t>{2, 1});
    CHECK(sections_per_agent(History{}).empty());
}

TEST_CASE("throughput is sections over the first acquire to the last release", "[metrics]") {
    // 3 sections from t=100 to t=350: 3 per 250 ns = 12,000,000 per second.
    REQUIRE(throughput(sample()));
    CHECK(*throughput(sample()) == Approx(12'000'000.0));
    CHECK_FALSE(throughput(History{}));

    History one;
    one.agents.push_back(agent_with({section(10, 20, 20)})); // too short for the clock to see
    CHECK(*throughput(one) == Approx(1e9));                  // counted as 1 ns
}

TEST_CASE("a lock wait is acquired minus requested, per section", "[metrics]") {
    CHECK(lock_waits(sample()) == std::vector<std::uint64_t>{10, 50, 10});

    // An explicit section is its unlock's event, which carries the lock's request and acquire.
    History explicit_section;
    explicit_section.agents.push_back(
        agent_with({plain(OpKind::lock, 0), plain(OpKind::write, event_flag::in_section),
                    section(1000, 1500, 2000, OpKind::unlock)}));
    CHECK(lock_waits(explicit_section) == std::vector<std::uint64_t>{500});
    CHECK(sections_per_agent(explicit_section) == std::vector<std::uint64_t>{1});

    History damaged;
    damaged.agents.push_back(agent_with({section(100, 40, 60)}));
    CHECK(lock_waits(damaged) == std::vector<std::uint64_t>{0});
}

TEST_CASE("percentiles are nearest-rank and exact", "[metrics]") {
    std::vector<std::uint64_t> hundred(100);
    std::iota(hundred.begin(), hundred.end(), 1); // 1..100
    std::shuffle(hundred.begin(), hundred.end(), std::mt19937(7));
    CHECK(percentile(hundred, 99) == 99u);
    CHECK(percentile(hundred, 100) == 100u);
    CHECK(percentile(hundred, 50) == 50u);
    CHECK(percentile(hundred, 0.5) == 1u);

    std::vector<std::uint64_t> thousand(1000);
    std::iota(thousand.begin(), thousand.end(), 1);
    std::shuffle(thousand.begin(), thousand.end(), std::mt19937(11));
    CHECK(percentile(thousand, 99) == 990u);

    // Three waits: rank ceil(0.99 * 3) = 3, the largest; the median is rank 2.
    CHECK(percentile({10, 50, 10}, 99) == 50u);
    CHECK(percentile({10, 50, 10}, 50) == 10u);
    CHECK(percentile({42}, 99) == 42u);
    CHECK_FALSE(percentile({}, 99));

    const std::vector<std::uint64_t> waits{10, 50, 10};
    CHECK(maximum(waits) == 50u);
    CHECK_FALSE(maximum(std::vector<std::uint64_t>{}));
}

TEST_CASE("Jain's index is 1 for equal shares and 1/n for one agent taking all", "[metrics]") {
    using Counts = std::vector<std::uint64_t>;
    CHECK(*jain_index(Counts{5, 5, 5, 5}) == Approx(1.0));
    CHECK(*jain_index(Counts{4, 0, 0, 0}) == Approx(0.25));
    // (1+2+3)^2 / (3 * (1+4+9)) = 36 / 42
    CHECK(*jain_index(Counts{1, 2, 3}) == Approx(36.0 / 42.0));
    // (3+1)^2 / (2 * (9+1)) = 16 / 20
    CHECK(*jain_index(Counts{3, 1}) == Approx(0.8));
    CHECK(*jain_index(Counts{7}) == Approx(1.0));
    CHECK_FALSE(jain_index(Counts{0, 0}));
    CHECK_FALSE(jain_index(Counts{}));
}
