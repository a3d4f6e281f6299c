// report_hang: who holds the lock at a timeout, from the owner word or else from the logs; and
// parse_chaos, the --chaos option's text.
#include "run/chaos.hpp"
#include "run/chaos_options.hpp"
#include "run/report_hang.hpp"

#include <catch2/catch.hpp>

using namespace ipch;

namespace {

Plan two_agent_plan() {
    Plan plan;
    plan.run_id = "0001234abcdef";
    plan.timeout_ns = 2'000'000'000;
    for (std::uint32_t id : {1u, 2u}) {
        AgentPlan agent;
        agent.agent_id = id;
        agent.agent_index = id - 1;
        agent.run_id = plan.run_id;
        agent.agent_name = "a" + std::to_string(id);
        plan.agents.push_back(agent);
    }
    return plan;
}

EventRecord event(OpKind kind, std::uint64_t t, Outcome outcome = Outcome::ok) {
    EventRecord record{};
    record.kind = kind;
    record.outcome = outcome;
    record.t_requested = t;
    record.t_acquired = t;
    record.t_released = t + 10;
    return record;
}

TimeoutSnapshot snapshot(std::optional<std::uint32_t> word) {
    TimeoutSnapshot shot;
    shot.t_ns = 1'000'000'000;
    shot.owner_word = word;
    shot.agents = {AgentAtTimeout{2, 3, 0, 'T'}, AgentAtTimeout{2, 1, 0, 'S'}};
    return shot;
}

History history_of(std::vector<EventRecord> first, std::vector<EventRecord> second) {
    History history;
    history.agents.push_back(make_agent_history(1, "a1", std::move(first)));
    history.agents.push_back(make_agent_history(2, "a2", std::move(second)));
    return history;
}

} // namespace

TEST_CASE("report_hang: the owner word names the holder", "[forensics]") {
    const Plan plan = two_agent_plan();
    const History history = history_of({event(OpKind::write, 100)}, {});
    const HangForensics hang = report_hang(plan, snapshot(owner_token(plan.agents[0])), history);
    CHECK(hang.holder == "a1");
    CHECK(hang.holder_from == "owner word");
    CHECK(hang.holder_alive == true); // stopped ('T') is alive
    REQUIRE(hang.agents.size() == 2);
    CHECK(hang.agents[0].process == "stopped");
    CHECK(hang.agents[0].last_event == "write ok");
    CHECK(hang.agents[0].waiting_s == Approx((1e9 - 110) / 1e9));
    CHECK(hang.agents[1].last_event.empty());
}

TEST_CASE("report_hang: without an owner word, the last acquire without a release", "[forensics]") {
    const Plan plan = two_agent_plan();
    // a1 took the lock and gave it back; a2 took it and never did.
    const History history = history_of({event(OpKind::lock, 100), event(OpKind::unlock, 200)},
                                       {event(OpKind::lock, 300), event(OpKind::write, 400)});
    for (const std::optional<std::uint32_t> word :
         {std::optional<std::uint32_t>(), std::optional<std::uint32_t>(0x12345678u)}) {
        const HangForensics hang = report_hang(plan, snapshot(word), history);
        CHECK(hang.holder == "a2");
        CHECK(hang.holder_from == "last acquire without release");
        CHECK(hang.holder_alive == true);
    }
}

TEST_CASE("report_hang: of several acquires without a release, the latest", "[forensics]") {
    // A lock that excludes nobody (none), or a crashed holder's lock taken over: both logs end
    // inside. The later acquire is the one that holds it now.
    const Plan plan = two_agent_plan();
    const History history = history_of({event(OpKind::lock, 100)}, {event(OpKind::lock, 300)});
    CHECK(report_hang(plan, snapshot(std::nullopt), history).holder == "a2");
    const History reversed = history_of({event(OpKind::lock, 300)}, {event(OpKind::lock, 100)});
    CHECK(report_hang(plan, snapshot(std::nullopt), reversed).holder == "a1");
}

TEST_CASE("report_hang: nobody holds the lock", "[forensics]") {
    const Plan plan = two_agent_plan();
    // A try_lock that found the lock busy acquired nothing.
    const History history = history_of({event(OpKind::lock, 100), event(OpKind::unlock, 200)},
                                       {event(OpKind::try_lock, 300, Outcome::busy)});
    const HangForensics hang = report_hang(plan, snapshot(0u), history);
    CHECK(hang.holder.empty());
    CHECK_FALSE(hang.holder_alive.has_value());
    CHECK(hang.owner_word == "0x00000000");
    CHECK(report_hang(plan, snapshot(std::nullopt), history).owner_word == "unreadable");
}

TEST_CASE("parse_chaos reads kill, stop and a rate, and refuses anything else", "[chaos]") {
    std::string why;
    const auto both = parse_chaos("kill,stop:5.5", why);
    REQUIRE(both);
    CHECK(both->kill);
    CHECK(both->stop);
    CHECK(both->rate == 5.5);
    const auto kill = parse_chaos("kill", why);
    REQUIRE(kill);
    CHECK_FALSE(kill->stop);
    CHECK(kill->rate == 20);
    for (const char* bad :
         {"", "murder", "kill,", "kill:0", "kill:-1", "kill:x", "stop:", "kill:5x"}) {
        INFO(bad);
        why.clear();
        CHECK_FALSE(parse_chaos(bad, why));
        CHECK_FALSE(why.empty());
    }
}

TEST_CASE("chaos sends nothing before the start barrier's release", "[chaos]") {
    // An agent killed while it opens, before its event log exists, would leave a damaged log
    // and (inside glibc's sem_open) a temporary file in /dev/shm: nothing about the run's IPC.
    std::string why;
    const auto options = parse_chaos("kill:1000", why);
    REQUIRE(options);
    Chaos chaos(*options, 7);
    CHECK(chaos.until_next() == Chaos::Clock::duration::max());
    const auto released = Chaos::Clock::now();
    chaos.begin(released);
    CHECK(chaos.until_next() < std::chrono::seconds(1)); // 1000 a second: due within ms
    // A second release changes nothing: the moments stay those of the first.
    const auto next = chaos.until_next();
    chaos.begin(released + std::chrono::hours(1));
    CHECK(chaos.until_next() <= next);
}
