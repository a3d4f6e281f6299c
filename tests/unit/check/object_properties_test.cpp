// open-missing, capacity, permissions, persistence: histories built with synthetic observations
// of the run's objects, each property passing and failing on purpose.
#include "history_builder.hpp"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace ipch;
using namespace ipch::test;

namespace {

constexpr std::uint32_t op_open = 0;

History with_objects(std::vector<AgentHistory> agents, std::vector<ObjectObservation> objects) {
    History history = history_of(std::move(agents));
    history.objects = std::move(objects);
    return history;
}

EventRecord open_event() {
    return Event(OpKind::open, op_open, 1);
}
EventRecord open_not_found() {
    return Event(OpKind::open, op_open, 1).error(ENOENT);
}

// An agent whose open (op 0) was in open_existing mode.
AgentHistory open_existing_agent(std::uint32_t id, std::string name,
                                 std::vector<EventRecord> events) {
    AgentHistory history = agent(id, std::move(name), std::move(events), labels());
    history.open_existing_ops = {op_open};
    return history;
}

EventRecord oversized_refused(std::uint32_t length) {
    return Event(OpKind::write, op_write, 2).error(event_error::too_large).length(length);
}

} // namespace

// --- open-missing ---

TEST_CASE("open-missing passes an open_existing of a missing name that recorded not found and "
          "left nothing",
          "[open-missing]") {
    const History history = with_objects({open_existing_agent(1, "alice", {open_not_found()})},
                                         {mapping_object(false), mutex_object(false)});
    const PropertyResult result = check_one(history, "open-missing");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 1);
    CHECK(result.detail ==
          "1 open of a missing name recorded not found; nothing of the run's left after it");
}

TEST_CASE("open-missing does not apply without an open of a missing name", "[open-missing]") {
    const History history =
        with_objects({agent(1, "alice", {open_event()}, labels())}, {mapping_object()});
    CHECK(check_one(history, "open-missing").verdict == Verdict::not_applicable);
    // An open_existing that found its object found something: not a missing name either.
    const History found = with_objects({agent(1, "creator", {open_event()}, labels()),
                                        open_existing_agent(2, "bob", {open_event()})},
                                       {mapping_object()});
    CHECK(check_one(found, "open-missing").verdict == Verdict::not_applicable);
}

TEST_CASE("open-missing fails when the object exists after a run whose only opens were "
          "open_existing",
          "[open-missing]") {
    // alice's open found nothing and recorded so; bob's open_existing then succeeded: someone
    // created the mapping and mutex without an open that may create.
    const History history = with_objects({open_existing_agent(1, "alice", {open_not_found()}),
                                          open_existing_agent(2, "bob", {open_event()})},
                                         {mapping_object(), mutex_object()});
    const PropertyResult result = check_one(history, "open-missing");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 2);
    REQUIRE(result.evidence.size() == 2);
    CHECK(result.evidence[0].summary ==
          "the mapping 'ipch-t-map' (/dev/shm/ipch-t-map) exists after the run, though no open "
          "that may create succeeded (after alice's 'open')");
    REQUIRE(result.evidence[0].events.size() == 1);
    CHECK(result.evidence[0].events[0].agent == "alice");
}

TEST_CASE("open-missing fails an open_existing that recorded creating the object",
          "[open-missing]") {
    const History history =
        with_objects({open_existing_agent(
                         1, "alice", {Event(OpKind::open, op_open, 1).flag(event_flag::created)})},
                     {mapping_object(false)});
    const PropertyResult result = check_one(history, "open-missing");
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'open' found nothing, yet succeeded and created the object");
}

TEST_CASE("open-missing lets an object exist when an open that may create succeeded",
          "[open-missing]") {
    // alice's open_existing found nothing; carol create_or_opened it afterwards: hers.
    const History history = with_objects({open_existing_agent(1, "alice", {open_not_found()}),
                                          agent(2, "carol", {open_event()}, labels())},
                                         {mapping_object()});
    const PropertyResult result = check_one(history, "open-missing");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "1 open of a missing name recorded not found; an open that may create "
                           "succeeded too");
    // An object that existed before the run (reuse) is not the run's doing either.
    ObjectObservation old = mapping_object();
    old.created_by_run = false;
    const History reused =
        with_objects({open_existing_agent(1, "alice", {open_not_found()})}, {old});
    CHECK(check_one(reused, "open-missing").verdict == Verdict::pass);
}

// --- capacity ---

TEST_CASE("capacity passes a refused oversized write with the guard intact", "[capacity]") {
    const History history = with_objects(
        {agent(1, "alice", {open_event(), oversized_refused(101)}, labels())}, {mapping_object()});
    const PropertyResult result = check_one(history, "capacity");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 1);
    CHECK(result.detail == "1 oversized write refused (too large) of a payload of 100 bytes; the "
                           "guard intact, the mapping 256 bytes");
}

TEST_CASE("capacity does not apply when nothing went past the payload", "[capacity]") {
    const History history = with_objects(
        {agent(1, "alice", {Event(OpKind::write, op_write, 1).section(1, 10, 20).wrote(1, 1, 7)},
               labels())},
        {mapping_object()});
    const PropertyResult result = check_one(history, "capacity");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no write or read beyond the payload's 100 bytes");
}

TEST_CASE("capacity fails an oversized write that succeeded", "[capacity]") {
    const History history = with_objects(
        {agent(1, "alice",
               {Event(OpKind::write, op_write, 1).section(1, 10, 20).length(150).wrote(1, 1, 7)},
               labels())},
        {mapping_object()});
    const PropertyResult result = check_one(history, "capacity");
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'write \"hello {id}\"' wrote 150 bytes into a payload of 100");
}

TEST_CASE("capacity fails a read that found a message longer than the payload", "[capacity]") {
    const History history = with_objects(
        {agent(1, "alice",
               {oversized_refused(120),
                Event(OpKind::read, op_read, 2).section(1, 10, 20).length(120).saw(1, 1, 7)},
               labels())},
        {mapping_object()});
    const PropertyResult result = check_one(history, "capacity");
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'read' found message #1 of alice (120 bytes) in a payload of 100 bytes");
}

TEST_CASE("capacity fails a non-zero guard and a mapping whose size changed", "[capacity]") {
    ObjectObservation damaged = mapping_object();
    damaged.guard_intact = false;
    damaged.size = 512;
    damaged.detail = "holds message #1 of agent 1 (5 bytes); tail guard reads 0x4141";
    const History history = with_objects(
        {agent(1, "alice", {open_event(), oversized_refused(101)}, labels())}, {damaged});
    const PropertyResult result = check_one(history, "capacity");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 2);
    REQUIRE(result.evidence.size() == 2);
    CHECK(result.evidence[0].summary ==
          "the mapping 'ipch-t-map' (/dev/shm/ipch-t-map) was written outside its payload: holds "
          "message #1 of agent 1 (5 bytes); tail guard reads 0x4141 (after alice's 'write "
          "\"hello {id}\"')");
    CHECK(result.evidence[1].summary ==
          "the mapping 'ipch-t-map' (/dev/shm/ipch-t-map) is 512 bytes after the run; it was "
          "planned 256 (after alice's 'write \"hello {id}\"')");
}

// --- permissions ---

TEST_CASE("permissions passes objects created with the mode asked for", "[permissions]") {
    const History history = with_objects({agent(1, "alice", {open_event()}, labels())},
                                         {mapping_object(), mutex_object()});
    const PropertyResult result = check_one(history, "permissions");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 2);
    CHECK(result.detail == "mapping 0600, mutex 0600, each as the plan asked");
}

TEST_CASE("permissions fails an object of mode 0644 where 0600 was asked", "[permissions]") {
    ObjectObservation wide = mutex_object();
    wide.mode = 0644;
    const History history =
        with_objects({agent(1, "alice", {open_event()}, labels())}, {mapping_object(), wide});
    const PropertyResult result = check_one(history, "permissions");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary == "the mutex 'ipch-t-mtx' (/dev/shm/sem.ipch-t-mtx) has "
                                        "mode 0644; the plan asked for 0600");
    CHECK(result.detail == "1 object not of the mode asked for (mapping 0600, mutex 0644)");
}

TEST_CASE("permissions judges only what the run created and left", "[permissions]") {
    ObjectObservation old = mapping_object();
    old.created_by_run = false;
    old.mode = 0666; // another program's: not the run's to judge
    const History history =
        with_objects({agent(1, "alice", {open_event()}, labels())}, {old, mutex_object(false)});
    const PropertyResult result = check_one(history, "permissions");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no object the run created was left to stat");
    CHECK(check_one(history_of({agent(1, "alice", {open_event()}, labels())}), "permissions")
              .verdict == Verdict::not_applicable);
}

// --- persistence ---

TEST_CASE("persistence is observed, never judged: what remains and whether it holds data",
          "[persistence]") {
    const History kept = with_objects({agent(1, "alice", {open_event()}, labels())},
                                      {mapping_object(), mutex_object()});
    const PropertyResult result = check_one(kept, "persistence");
    CHECK(result.verdict == Verdict::observed);
    CHECK(to_string(result.verdict) == "observed");
    CHECK(result.detail == "mapping kept with its data; mutex kept");
    CHECK(result.checked == 2);

    ObjectObservation empty = mapping_object();
    empty.holds_message = false;
    const History gone =
        with_objects({agent(1, "alice", {open_event()}, labels())}, {empty, mutex_object(false)});
    CHECK(check_one(gone, "persistence").detail == "mapping kept, empty; mutex gone");
    CHECK(check_one(with_objects({}, {mapping_object(false)}), "persistence").detail ==
          "mapping gone");
}

TEST_CASE("persistence does not apply to a history without observed objects", "[persistence]") {
    const PropertyResult result =
        check_one(history_of({agent(1, "alice", {open_event()}, labels())}), "persistence");
    CHECK(result.verdict == Verdict::not_applicable);
}
