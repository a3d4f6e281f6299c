// create-open-race over synthetic histories: a clean race passes, and each way a race can go
// wrong (two creators of the mapping or of the mutex, a lost mutex creation, two objects, a
// new mapping not zero-filled, an open that failed) fails with evidence naming the agents.
#include "history_builder.hpp"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace ipch;
using namespace ipch::test;
using Catch::Matchers::Contains;

namespace {

constexpr std::uint64_t mapping_id = 5678;
constexpr std::uint64_t mutex_id = 91;

// An agent's open event at start: op 0, with these flags and the objects it opened.
EventRecord open_event(std::uint32_t flags, std::uint64_t mapping = mapping_id,
                       std::uint64_t mutex = mutex_id) {
    EventRecord event = Event(OpKind::open, 0, 0).flag(flags);
    event.msg_checksum = mapping;
    event.computed_checksum = mutex;
    return event;
}

constexpr std::uint32_t racer = event_flag::create_or_open;
constexpr std::uint32_t creator = racer | event_flag::created | event_flag::created_mutex;

AgentHistory opener(std::uint32_t id, EventRecord open) {
    return agent(id, "a-" + std::to_string(id),
                 {open, Event(OpKind::write, op_write, 1).section(id, id * 10, id * 10 + 5)},
                 labels());
}

// Eight agents that create-or-opened at once, the third the creator.
std::vector<AgentHistory> clean_race() {
    std::vector<AgentHistory> agents;
    for (std::uint32_t id = 1; id <= 8; ++id)
        agents.push_back(opener(id, open_event(id == 3 ? creator : racer)));
    return agents;
}

PropertyResult race(std::vector<AgentHistory> agents) {
    return check_one(history_of(std::move(agents)), "create-open-race");
}

} // namespace

TEST_CASE("create-open-race passes when one of eight creates and all open one object",
          "[create-open-race]") {
    const PropertyResult result = race(clean_race());
    INFO(result.detail);
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 8);
    CHECK_THAT(result.detail, Contains("8 agents create-or-opened at once") &&
                                  Contains("a-3 created the mapping") &&
                                  Contains("a-3 created the mutex"));
}

TEST_CASE("create-open-race passes for a mutex kind without a named object", "[create-open-race]") {
    std::vector<AgentHistory> agents;
    for (std::uint32_t id = 1; id <= 4; ++id)
        agents.push_back(
            opener(id, open_event(id == 1 ? racer | event_flag::created : racer, mapping_id, 0)));
    CHECK(race(std::move(agents)).verdict == Verdict::pass);
}

TEST_CASE("create-open-race is not applicable without two create-or-opens", "[create-open-race]") {
    SECTION("one creator, one open_existing (the classic)") {
        const PropertyResult result =
            race({opener(1, open_event(creator)), opener(2, open_event(0))});
        CHECK(result.verdict == Verdict::not_applicable);
        CHECK_THAT(result.detail, Contains("fewer than 2"));
    }
    SECTION("agents that record no open flags (an external agent's log)") {
        CHECK(race({opener(1, open_event(0, 0, 0)), opener(2, open_event(0, 0, 0))}).verdict ==
              Verdict::not_applicable);
    }
}

TEST_CASE("create-open-race does not judge the creation of a mapping that existed before",
          "[create-open-race]") {
    // `reuse`: every racer found the objects; nothing shows a creation was lost.
    const PropertyResult result =
        race({opener(1, open_event(racer)), opener(2, open_event(racer))});
    CHECK(result.verdict == Verdict::pass);
    CHECK_THAT(result.detail, Contains("none created the mapping"));
}

TEST_CASE("create-open-race fails when two agents create the mapping", "[create-open-race]") {
    auto agents = clean_race();
    agents[6] = opener(7, open_event(racer | event_flag::created));
    const PropertyResult result = race(std::move(agents));
    REQUIRE(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "2 agents created the mapping: a-3's 'open' and a-7's 'open'");
    REQUIRE(result.evidence[0].events.size() == 2);
    CHECK(result.evidence[0].events[1].agent == "a-7");
}

TEST_CASE("create-open-race fails when two agents create the named mutex", "[create-open-race]") {
    auto agents = clean_race();
    agents[0] = opener(1, open_event(racer | event_flag::created_mutex));
    agents[4] = opener(5, open_event(racer | event_flag::created_mutex));
    const PropertyResult result = race(std::move(agents));
    REQUIRE(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "3 agents created the mutex: a-1's 'open', a-3's 'open' and a-5's 'open'");
}

TEST_CASE("create-open-race fails when a new mapping's named mutex had no creator",
          "[create-open-race]") {
    auto agents = clean_race();
    agents[2] = opener(3, open_event(racer | event_flag::created));
    const PropertyResult result = race(std::move(agents));
    REQUIRE(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK_THAT(result.evidence[0].summary,
               Contains("the mapping was new, yet no agent created the mutex: a-1's 'open'"));
}

TEST_CASE("create-open-race fails when agents opened different objects", "[create-open-race]") {
    SECTION("the mapping") {
        auto agents = clean_race();
        agents[1] = opener(2, open_event(racer, 1234));
        const PropertyResult result = race(std::move(agents));
        REQUIRE(result.verdict == Verdict::fail);
        REQUIRE(result.evidence.size() == 1);
        CHECK(result.evidence[0].summary ==
              "a-2's 'open' opened mapping object 1234, a-1's 'open' object 5678");
    }
    SECTION("the mutex") {
        auto agents = clean_race();
        agents[5] = opener(6, open_event(racer, mapping_id, 77));
        const PropertyResult result = race(std::move(agents));
        REQUIRE(result.verdict == Verdict::fail);
        REQUIRE(result.evidence.size() == 1);
        CHECK(result.evidence[0].summary ==
              "a-6's 'open' opened mutex object 77, a-1's 'open' object 91");
    }
}

TEST_CASE("create-open-race fails when the creator found the new mapping not zero-filled",
          "[create-open-race]") {
    auto agents = clean_race();
    agents[2] = opener(3, open_event(creator | event_flag::not_zero));
    const PropertyResult result = race(std::move(agents));
    REQUIRE(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "a-3's 'open' created the mapping and found it not zero-filled");
}

TEST_CASE("create-open-race fails when a racer could not open", "[create-open-race]") {
    auto agents = clean_race();
    EventRecord failed = Event(OpKind::open, 0, 0).flag(racer).error(ENOENT);
    agents[7] = agent(8, "a-8", {failed}, labels());
    const PropertyResult result = race(std::move(agents));
    REQUIRE(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK_THAT(result.evidence[0].summary,
               Contains("a-8's 'open' could not open: ") && Contains("not found"));
}

TEST_CASE("create-open-race judges first opens only, as many as race", "[create-open-race]") {
    // a-1 removes and creates the objects again later: a second creation, but not in the race.
    auto agents = clean_race();
    agents[0] =
        agent(1, "a-1",
              {open_event(racer), Event(OpKind::remove, op_hold, 1), open_event(creator, 999, 998)},
              labels());
    CHECK(race(std::move(agents)).verdict == Verdict::pass);
}
