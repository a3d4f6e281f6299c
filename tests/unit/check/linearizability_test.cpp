// The black-box linearizability checker: the register and mutex models on the textbook
// histories, the budget, the evidence; then mutual-exclusion and read-latest on histories whose
// sections carry no lock-order stamp, in memory and read from JSON-lines event files.
#include "check/linearizability.hpp"
#include "check/linearizability_history.hpp"
#include "history_builder.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdlib.h>

using namespace ipch;
using namespace ipch::test;
using Catch::Matchers::Contains;
using lin::Action;
using lin::Answer;
using lin::never;

namespace {

lin::Value message(std::uint32_t writer, std::uint64_t seq) {
    return lin::Value{writer, seq, seq * 7};
}

lin::Operation write(std::uint32_t client, lin::Value value, std::uint64_t call,
                     std::uint64_t ret) {
    return lin::Operation{client, Action::write, value, call, ret};
}

lin::Operation read(std::uint32_t client, lin::Value value, std::uint64_t call, std::uint64_t ret) {
    return lin::Operation{client, Action::read, value, call, ret};
}

lin::Operation acquire(std::uint32_t client, std::uint64_t call, std::uint64_t ret) {
    return lin::Operation{client, Action::acquire, {}, call, ret};
}

lin::Operation release(std::uint32_t client, std::uint64_t call, std::uint64_t ret) {
    return lin::Operation{client, Action::release, {}, call, ret};
}

lin::Result check_register(const std::vector<lin::Operation>& ops,
                           lin::Initial initial = lin::Initial::empty) {
    lin::Options options;
    options.initial = initial;
    return lin::check_operations(lin::Model::register_model, ops, options);
}

lin::Result check_mutex(const std::vector<lin::Operation>& ops) {
    return lin::check_operations(lin::Model::mutex, ops);
}

} // namespace

TEST_CASE("register: a read concurrent with a write may return either value",
          "[linearizability][register]") {
    // Porcupine's README, first history: C0 writes; C1 and C2 read inside the write.
    //   C0: |-------- write(1:1) --------|
    //   C1:     |--- read -> 1:1 ---|
    //   C2:        |- read -> empty -|
    const lin::Result result = check_register(
        {write(0, message(1, 1), 0, 100), read(1, message(1, 1), 10, 80), read(2, {}, 20, 60)});
    CHECK(result.answer == Answer::ok);
    CHECK_FALSE(result.unplaced);
    // A linearization of every op: the empty read first, then the write, then the other read.
    CHECK(result.longest_prefix == std::vector<std::size_t>{2, 0, 1});
}

TEST_CASE("register: a stale read after a completed write is not linearizable",
          "[linearizability][register]") {
    const lin::Result result =
        check_register({write(0, message(1, 1), 0, 10), read(1, {}, 20, 30)});
    CHECK(result.answer == Answer::illegal);
    CHECK(result.longest_prefix == std::vector<std::size_t>{0});
    REQUIRE(result.unplaced);
    CHECK(*result.unplaced == 1);
}

TEST_CASE("register: once a read saw the new value, a later read may not see the old one",
          "[linearizability][register]") {
    // Porcupine's README, second history: the write is still running, but C1 saw it.
    //   C0: |------------- write(1:2) -------------|
    //   C1:   |- read -> 1:2 -|
    //   C2:                      |- read -> 1:1 -|
    const std::vector<lin::Operation> ops = {
        write(0, message(1, 1), 0, 5), write(0, message(1, 2), 10, 100),
        read(1, message(1, 2), 20, 30), read(2, message(1, 1), 40, 60)};
    const lin::Result result = check_register(ops);
    CHECK(result.answer == Answer::illegal);
    REQUIRE(result.unplaced);
    CHECK(*result.unplaced == 3);
    CHECK(result.longest_prefix == std::vector<std::size_t>{0, 1, 2});
    // Without the first reader it is linearizable: the second read goes before the write.
    CHECK(check_register({ops[0], ops[1], ops[3]}).answer == Answer::ok);
}

TEST_CASE("register: a read of a value nobody wrote fails, and before any write it reads empty",
          "[linearizability][register]") {
    CHECK(check_register(
              {read(0, {}, 0, 1), write(1, message(2, 1), 2, 3), read(0, message(2, 1), 4, 5)})
              .answer == Answer::ok);
    CHECK(check_register({write(1, message(2, 1), 0, 3), read(0, message(2, 2), 4, 5)}).answer ==
          Answer::illegal);
    const lin::Result first = check_register({read(0, message(9, 9), 0, 1)});
    CHECK(first.answer == Answer::illegal);
    CHECK(first.longest_prefix.empty());
    REQUIRE(first.unplaced);
    CHECK(*first.unplaced == 0);
    // Initial::any: whatever the first read saw was there; later reads must agree with it.
    CHECK(check_register({read(0, message(9, 9), 0, 1), read(1, message(9, 9), 2, 3)},
                         lin::Initial::any)
              .answer == Answer::ok);
    CHECK(check_register({read(0, message(9, 9), 0, 1), read(1, {}, 2, 3)}, lin::Initial::any)
              .answer == Answer::illegal);
}

TEST_CASE("register: a write in flight when its client died may or may not have happened",
          "[linearizability][register]") {
    const lin::Operation in_flight = write(0, message(1, 2), 10, never);
    const lin::Operation before = write(0, message(1, 1), 0, 5);
    // Seen by one read and not by an earlier one: it happened in between.
    CHECK(check_register(
              {before, in_flight, read(1, message(1, 1), 20, 30), read(1, message(1, 2), 40, 50)})
              .answer == Answer::ok);
    // Never seen: it never happened (or not yet).
    CHECK(check_register(
              {before, in_flight, read(1, message(1, 1), 20, 30), read(1, message(1, 1), 40, 50)})
              .answer == Answer::ok);
    // But once seen, it cannot be unseen.
    CHECK(check_register(
              {before, in_flight, read(1, message(1, 2), 20, 30), read(1, message(1, 1), 40, 50)})
              .answer == Answer::illegal);
}

TEST_CASE("mutex: one holder at a time", "[linearizability][mutex]") {
    // Sequential sections, and a waiter whose acquire returns once the holder released.
    CHECK(check_mutex({acquire(0, 0, 1), release(0, 5, 6), acquire(1, 7, 8), release(1, 9, 10)})
              .answer == Answer::ok);
    CHECK(check_mutex({acquire(0, 0, 1), release(0, 5, 7), acquire(1, 2, 6), release(1, 9, 10)})
              .answer == Answer::ok);
    // Overlapping holds: bob acquired at 3 while alice held the lock until 5.
    const lin::Result overlap =
        check_mutex({acquire(0, 0, 1), release(0, 5, 6), acquire(1, 2, 3), release(1, 7, 8)});
    CHECK(overlap.answer == Answer::illegal);
    REQUIRE(overlap.unplaced);
    CHECK(*overlap.unplaced == 2);
    CHECK(overlap.longest_prefix == std::vector<std::size_t>{0});
    // A release by a client that does not hold it.
    CHECK(check_mutex({acquire(0, 0, 1), release(1, 2, 3)}).answer == Answer::illegal);
}

TEST_CASE("mutex: the release of a holder that died is indeterminate, not a violation",
          "[linearizability][mutex]") {
    // alice died holding the lock (released at some unknown time); bob acquired later.
    CHECK(check_mutex({acquire(0, 0, 1), release(0, 1, never), acquire(1, 5, 6), release(1, 7, 8)})
              .answer == Answer::ok);
    // But bob held the lock across alice's acquire: that overlap stays a violation.
    CHECK(
        check_mutex({acquire(1, 0, 1), release(1, 10, 11), acquire(0, 5, 6), release(0, 6, never)})
            .answer == Answer::illegal);
}

TEST_CASE("the search is deterministic: the same ops give the same answer and prefix",
          "[linearizability]") {
    std::vector<lin::Operation> ops;
    for (std::uint32_t i = 0; i < 200; ++i) {
        const std::uint64_t t = i * 10;
        ops.push_back(write(i % 4, message(i % 4 + 1, i + 1), t, t + 25));
        ops.push_back(read((i + 1) % 4, message(i % 4 + 1, i + 1), t + 20, t + 40));
    }
    ops.push_back(read(1, message(1, 1), 5000, 5001)); // stale: forces the whole search
    const lin::Result first = check_register(ops);
    const lin::Result second = check_register(ops);
    CHECK(first.answer == Answer::illegal);
    CHECK(first.answer == second.answer);
    CHECK(first.longest_prefix == second.longest_prefix);
    CHECK(first.unplaced == second.unplaced);
    CHECK(first.steps == second.steps);
    REQUIRE(first.unplaced);
    CHECK(*first.unplaced == ops.size() - 1);
    CHECK(first.longest_prefix.size() == ops.size() - 1);
}

namespace {

// 40 writes all at once, then a read of a value none of them wrote: proving that no order of
// the writes explains the read means trying every subset of them (2^40).
std::vector<lin::Operation> pathological() {
    std::vector<lin::Operation> ops;
    for (std::uint32_t i = 0; i < 40; ++i)
        ops.push_back(write(i, message(i + 1, 1), 0, 100));
    ops.push_back(read(40, message(99, 1), 200, 300));
    return ops;
}

} // namespace

TEST_CASE("past its time budget the answer is unknown, never a search without end",
          "[linearizability][budget]") {
    lin::Options options;
    options.budget = std::chrono::milliseconds(20);
    const auto started = std::chrono::steady_clock::now();
    const lin::Result result =
        lin::check_operations(lin::Model::register_model, pathological(), options);
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(result.answer == Answer::unknown);
    CHECK_FALSE(result.out_of_memory);
    CHECK(result.steps > 0);
    CHECK_FALSE(result.unplaced);
    // Generous: the point is that it stops, not how fast (no timed assertion beyond that).
    CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("past its memory limit the answer is unknown too", "[linearizability][budget]") {
    lin::Options options;
    options.max_cache_bytes = 64 * 1024;
    const lin::Result result =
        lin::check_operations(lin::Model::register_model, pathological(), options);
    CHECK(result.answer == Answer::unknown);
    CHECK(result.out_of_memory);
}

// ---- The black-box path of mutual-exclusion and read-latest ----

namespace {

// An event without a stamp (0): a section from `acquired` to `released`, requested at
// `requested`.
EventRecord unstamped(Event event, std::uint64_t requested, std::uint64_t acquired,
                      std::uint64_t released) {
    EventRecord record = event.section(0, acquired, released);
    record.t_requested = requested;
    return record;
}

EventRecord write_at(std::uint64_t seq, std::uint64_t acquired, std::uint64_t released,
                     std::uint32_t writer, std::uint64_t writer_seq) {
    return unstamped(Event(OpKind::write, op_write, seq).wrote(writer, writer_seq, writer_seq * 7),
                     acquired, acquired, released);
}

EventRecord read_at(std::uint64_t seq, std::uint64_t acquired, std::uint64_t released,
                    std::uint32_t writer, std::uint64_t writer_seq) {
    return unstamped(Event(OpKind::read, op_read, seq).saw(writer, writer_seq, writer_seq * 7),
                     acquired, acquired, released);
}

EventRecord hold_at(std::uint64_t seq, std::uint64_t requested, std::uint64_t acquired,
                    std::uint64_t released) {
    return unstamped(Event(OpKind::hold, op_hold, seq), requested, acquired, released);
}

} // namespace

TEST_CASE("without stamps, mutual-exclusion is decided by the mutex model",
          "[linearizability][mutual-exclusion]") {
    // bob asks while alice holds the lock and gets it after she released: fine.
    const History ok = history_of(
        {agent(1, "alice", {hold_at(1, 100, 110, 200), hold_at(2, 300, 310, 400)}, labels()),
         agent(2, "bob", {hold_at(1, 150, 210, 290), hold_at(2, 450, 460, 500)}, labels())});
    const PropertyResult pass = check_one(ok, "mutual-exclusion");
    CHECK(pass.verdict == Verdict::pass);
    CHECK(pass.checked == 4);
    CHECK(pass.detail == "black-box check (no lock-order stamps): 4 critical sections (8 acquires "
                         "and releases) linearizable as a mutex");

    // bob acquires at 150 while alice holds it from 110 to 200.
    const History overlap = history_of(
        {agent(1, "alice", {hold_at(1, 100, 110, 200), hold_at(2, 300, 310, 400)}, labels()),
         agent(2, "bob", {hold_at(1, 120, 150, 290)}, labels())});
    const PropertyResult fail = check_one(overlap, "mutual-exclusion");
    CHECK(fail.verdict == Verdict::fail);
    CHECK(fail.violations == 1);
    CHECK(fail.detail == "black-box check (no lock-order stamps): 3 critical sections (6 acquires "
                         "and releases) not linearizable as a mutex");
    REQUIRE(fail.evidence.size() == 1);
    const Evidence& evidence = fail.evidence[0];
    CHECK(evidence.summary ==
          "the acquire of bob's 'hold 1ms', called at 120 ns and returned at 150 ns, cannot be "
          "placed after the longest linearizable prefix, 1 op of 6 ending with the acquire of "
          "alice's 'hold 1ms', called at 100 ns and returned at 110 ns: then alice held the lock, "
          "since the acquire of alice's 'hold 1ms', and the release of alice's 'hold 1ms' was not "
          "called before 200 ns; 0 ops overlap it in time");
    REQUIRE(evidence.events.size() == 2); // a section's acquire and release share its event
    CHECK(evidence.events[0].agent == "bob");
    CHECK(evidence.events[0].event.t_acquired == 150);
    CHECK(evidence.events[1].agent == "alice");
    CHECK(evidence.events[1].event.t_acquired == 110);
}

TEST_CASE("without stamps, read-latest is decided by the register model",
          "[linearizability][read-latest]") {
    // bob's read overlaps alice's second write: either message will do.
    const History ok = history_of(
        {agent(1, "alice", {write_at(1, 100, 200, 1, 1), write_at(2, 300, 400, 1, 2)}, labels()),
         agent(2, "bob", {read_at(1, 250, 260, 1, 1), read_at(2, 350, 450, 1, 1)}, labels())});
    const PropertyResult pass = check_one(ok, "read-latest");
    CHECK(pass.verdict == Verdict::pass);
    CHECK(pass.checked == 2);
    CHECK(pass.detail == "black-box check (no lock-order stamps): 2 reads and 2 writes "
                         "linearizable as a register");

    // bob reads message #1 at 500, after alice's write of #2 returned at 400: a stale read.
    const History stale = history_of(
        {agent(1, "alice", {write_at(1, 100, 200, 1, 1), write_at(2, 300, 400, 1, 2)}, labels()),
         agent(2, "bob", {read_at(1, 500, 600, 1, 1)}, labels())});
    const PropertyResult fail = check_one(stale, "read-latest");
    CHECK(fail.verdict == Verdict::fail);
    REQUIRE(fail.evidence.size() == 1);
    const Evidence& evidence = fail.evidence[0];
    CHECK_THAT(evidence.summary,
               Contains("bob's 'read' (read message #1 of alice), called at 500 ns and returned "
                        "at 600 ns, cannot be placed after the longest linearizable prefix, 2 ops "
                        "of 3 ending with alice's 'write \"hello {id}\"' (wrote message #2 of "
                        "alice)"));
    CHECK_THAT(evidence.summary, Contains("then the mapping held message #2 of alice"));
    CHECK_THAT(evidence.summary, Contains("0 ops overlap it in time"));
    REQUIRE(evidence.events.size() == 2);
    CHECK(evidence.events[0].agent == "bob");
    CHECK(evidence.events[1].event.msg_writer_seq == 2);
}

TEST_CASE("stamped histories keep the lock-order checks", "[linearizability][mutual-exclusion]") {
    Event stamped(OpKind::hold, op_hold, 1);
    stamped.section(1, 100, 200);
    const History history = history_of({agent(1, "alice", {stamped}, labels())});
    CHECK_FALSE(check::has_unstamped_sections(history));
    const PropertyResult result = check_one(history, "mutual-exclusion");
    CHECK(result.verdict == Verdict::pass);
    CHECK_THAT(result.detail, !Contains("black-box"));
    CHECK(check::has_unstamped_sections(
        history_of({agent(1, "alice", {stamped, hold_at(2, 300, 310, 400)}, labels())})));
}

TEST_CASE("without stamps, a crash's op in flight is indeterminate, not a violation",
          "[linearizability][crash]") {
    // alice died with her second write in flight; bob saw it, then a later read still sees it.
    AgentHistory alice =
        ended(agent(1, "alice", {write_at(1, 100, 200, 1, 1)}, labels()), AgentEnd::crashed, 9);
    const History seen =
        history_of({alice, agent(2, "bob", {read_at(1, 300, 310, 1, 2), read_at(2, 400, 410, 1, 2)},
                                 labels())});
    const lin::HistoryOps ops = lin::register_ops(seen);
    REQUIRE(ops.ops.size() == 4);
    CHECK(ops.indeterminate == 1);
    CHECK(ops.ops[3].ret == never);
    CHECK_FALSE(ops.sources[3].event);
    const PropertyResult pass = check_one(seen, "read-latest");
    CHECK(pass.verdict == Verdict::pass);
    CHECK_THAT(pass.detail, Contains("1 write in flight when its agent died, indeterminate"));
    // Once seen it cannot be unseen: message #1 again after #2 is a stale read.
    const History unseen =
        history_of({alice, agent(2, "bob", {read_at(1, 300, 310, 1, 2), read_at(2, 400, 410, 1, 1)},
                                 labels())});
    CHECK(check_one(unseen, "read-latest").verdict == Verdict::fail);

    // A section left unreleased: its release happened at an unknown time after its acquire.
    EventRecord crash = Event(OpKind::crash, op_crash, 2).unreleased(0, 300);
    const History held = history_of(
        {ended(agent(1, "alice", {hold_at(1, 100, 110, 200), crash}, labels()), AgentEnd::crashed),
         agent(2, "bob", {hold_at(1, 250, 400, 450)}, labels())});
    const PropertyResult unreleased = check_one(held, "mutual-exclusion");
    CHECK(unreleased.verdict == Verdict::pass);
    CHECK_THAT(unreleased.detail,
               Contains("1 section left unreleased by a crash, its release indeterminate"));
}

TEST_CASE("without stamps, the budget gives an unknown verdict", "[linearizability][budget]") {
    std::vector<AgentHistory> agents;
    for (std::uint32_t id = 1; id <= 40; ++id)
        agents.push_back(agent(id, "w" + std::to_string(id), {write_at(1, 0, 100, id, 1)}));
    agents.push_back(agent(41, "reader", {read_at(1, 200, 300, 99, 1)}));
    CheckOptions options;
    options.linearizability_budget_ns = 20'000'000;
    const PropertyResult result = check_one(history_of(std::move(agents)), "read-latest", options);
    CHECK(result.verdict == Verdict::unknown);
    CHECK(result.violations == 0);
    CHECK(result.evidence.empty());
    CHECK_THAT(result.detail, Contains("black-box check (no lock-order stamps): gave up on 1 read "
                                       "and 40 writes after its budget of 20.000 ms"));
}

// ---- End to end: JSON-lines event files without stamps ----

namespace {

class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ipch-lin-XXXXXX").string();
        dir_ = ::mkdtemp(pattern.data());
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    std::string write(const std::string& name, const std::string& text) const {
        const std::string path = (dir_ / name).string();
        std::ofstream(path) << text;
        return path;
    }

  private:
    std::filesystem::path dir_;
};

// One event line as an external agent writes it, without "stamp".
std::string line(const std::string& kind, std::uint64_t seq, std::uint64_t requested,
                 std::uint64_t acquired, std::uint64_t released, const std::string& message) {
    return R"({"op_id":)" + std::to_string(seq) + R"(,"kind":")" + kind +
           R"(","outcome":"ok","seq":)" + std::to_string(seq) + R"(,"flags":["critical_section")" +
           (kind == "write" ? R"(,"written"])" : R"(,"observed"])") + R"(,"t_requested":)" +
           std::to_string(requested) + R"(,"t_acquired":)" + std::to_string(acquired) +
           R"(,"t_released":)" + std::to_string(released) + "," + message + "}\n";
}

std::string msg(std::uint32_t writer, std::uint64_t seq) {
    return R"("msg_writer":)" + std::to_string(writer) + R"(,"msg_length":5,"msg_writer_seq":)" +
           std::to_string(seq) + R"(,"msg_checksum":)" + std::to_string(seq * 7) +
           R"(,"computed_checksum":)" + std::to_string(seq * 7);
}

History read_jsonl(const TempDir& dir, const std::string& first, const std::string& second) {
    History history;
    history.payload_capacity = 100;
    history.agents.push_back(read_agent_jsonl(dir.write("ext1.events.jsonl", first), 1));
    history.agents.push_back(read_agent_jsonl(dir.write("ext2.events.jsonl", second), 2));
    history.agents[0].name = "ext1";
    history.agents[1].name = "ext2";
    return history;
}

} // namespace

TEST_CASE("JSON-lines histories without stamps are checked as black boxes",
          "[linearizability][jsonl]") {
    const TempDir dir;
    const std::string status = "{\"status\":\"finished\"}\n";
    // ext1 writes #1 and #2; ext2 reads after each returned. Its lock waits overlap ext1's
    // sections (requested before they ended), its holds do not.
    const std::string writes = line("write", 1, 1000, 1010, 1100, msg(1, 1)) +
                               line("write", 2, 1300, 1310, 1400, msg(1, 2)) + status;
    const History good = read_jsonl(dir, writes,
                                    line("read", 1, 1050, 1110, 1200, msg(1, 1)) +
                                        line("read", 2, 1350, 1410, 1500, msg(1, 2)) + status);
    REQUIRE(good.agents[0].log_damage.empty());
    REQUIRE(good.agents[1].log_damage.empty());
    REQUIRE(good.agents[1].events.size() == 2);
    CHECK(good.agents[1].events[0].stamp == 0);
    for (const char* id : {"mutual-exclusion", "read-latest"}) {
        const PropertyResult result = check_one(good, id);
        INFO(id << ": " << result.detail);
        CHECK(result.verdict == Verdict::pass);
        CHECK_THAT(result.detail, Contains("black-box check (no lock-order stamps)"));
    }

    // ext2 takes the lock at 1350 while ext1 holds it (1310..1400), and its third read sees #1
    // after #2 was written.
    const History bad = read_jsonl(dir, writes,
                                   line("read", 1, 1050, 1110, 1200, msg(1, 1)) +
                                       line("read", 2, 1320, 1350, 1500, msg(1, 2)) +
                                       line("read", 3, 1600, 1610, 1700, msg(1, 1)) + status);
    const PropertyResult exclusion = check_one(bad, "mutual-exclusion");
    CHECK(exclusion.verdict == Verdict::fail);
    REQUIRE(exclusion.evidence.size() == 1);
    CHECK_THAT(exclusion.evidence[0].summary,
               Contains("the acquire of ext2's op #2, called at 1320 ns and returned at 1350 ns"));
    CHECK_THAT(exclusion.evidence[0].summary, Contains("then ext1 held the lock"));
    const PropertyResult latest = check_one(bad, "read-latest");
    CHECK(latest.verdict == Verdict::fail);
    REQUIRE(latest.evidence.size() == 1);
    CHECK_THAT(latest.evidence[0].summary,
               Contains("ext2's op #3 (read message #1 of ext1), called at 1610 ns and returned "
                        "at 1700 ns, cannot be placed"));
}
