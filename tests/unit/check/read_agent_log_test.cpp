#include "check.hpp"
#include "history.hpp"
#include "history_builder.hpp"

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdlib.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ipch;
using Catch::Matchers::Contains;

namespace {

// A fresh directory for one test's files, removed when the test ends.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "ipch-log-XXXXXX").string();
        path_ = ::mkdtemp(pattern.data());
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

EventRecord numbered(std::uint64_t seq) {
    EventRecord event{};
    event.op_id = 1;
    event.kind = OpKind::write;
    event.seq = seq;
    event.stamp = seq * 10;
    return event;
}

// What to write: a log as an agent leaves it, each field overridable to damage it.
struct LogFile {
    std::uint32_t magic = event_log_magic;
    std::uint16_t version = event_log_version;
    std::uint16_t header_size = sizeof(EventLogHeader);
    std::uint32_t record_size = sizeof(EventRecord);
    std::uint64_t capacity = 8;
    std::uint64_t committed = 5;
    std::uint32_t agent_id = 3;
    ClockKind clock = ClockKind::monotonic;
    std::uint32_t status = static_cast<std::uint32_t>(LogStatus::finished);
    // The records in the file; when empty, the first `committed` of `capacity` are numbered and
    // the rest zeros, as the agent's preallocated file leaves them.
    std::vector<EventRecord> records;

    // Writes the header and the records, then cuts the file to `size` bytes when asked.
    void write(const std::string& path, std::uint64_t size = 0) const {
        std::ofstream out(path, std::ios::binary);
        const std::vector<char> bytes = image();
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (size != 0) std::filesystem::resize_file(path, size);
    }

    // The file's bytes.
    std::vector<char> image() const {
        EventLogHeader header{};
        header.magic = magic;
        header.version = version;
        header.header_size = header_size;
        header.record_size = record_size;
        header.agent_id = agent_id;
        header.clock = clock;
        header.capacity = capacity;
        header.committed.store(committed);
        header.status.store(status);
        std::vector<char> bytes(sizeof header);
        std::memcpy(bytes.data(), &header, sizeof header);
        std::vector<EventRecord> body = records;
        if (body.empty())
            for (std::uint64_t i = 0; i < capacity; ++i)
                body.push_back(i < committed ? numbered(i + 1) : EventRecord{});
        const auto* first = reinterpret_cast<const char*>(body.data());
        bytes.insert(bytes.end(), first, first + body.size() * sizeof(EventRecord));
        return bytes;
    }
};

} // namespace

TEST_CASE("read_agent_log reads a whole log", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile{}.write(path);
    AgentHistory history = read_agent_log(path, 3);
    CHECK(history.log_damage.empty());
    CHECK(history.agent_id == 3);
    CHECK(history.log_status == LogStatus::finished);
    REQUIRE(history.events.size() == 5);
    CHECK(history.events[0].seq == 1);
    CHECK(history.events[4].seq == 5);
    CHECK(history.events[4].stamp == 50);
    CHECK(history.events[4].kind == OpKind::write);

    SECTION("and its events outlive the history they were read into") {
        const AgentHistory copy = history;
        history = AgentHistory{};
        std::filesystem::remove(path);
        REQUIRE(copy.events.size() == 5);
        CHECK(copy.events[2].seq == 3);
    }
}

TEST_CASE("read_agent_log takes the whole records of a log cut mid-record", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile{}.write(path, event_log_offset(3) + 40);
    const AgentHistory history = read_agent_log(path, 3);
    REQUIRE(history.events.size() == 3);
    CHECK(history.events[2].seq == 3);
    CHECK(history.log_damage ==
          "truncated: the file holds 3 whole records and part of another, its header promises "
          "room for 8; committed 5 records, beyond the 3 the file holds");
}

TEST_CASE("read_agent_log refuses a log with a bad magic", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    log.magic = 0xdeadbeef;
    log.write(path);
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.empty());
    CHECK(history.log_damage == "bad magic 0xdeadbeef: not an event log");
}

TEST_CASE("read_agent_log refuses a log of another version", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    log.version = event_log_version + 1;
    log.write(path);
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.empty());
    CHECK_THAT(history.log_damage,
               Contains("event log version " + std::to_string(event_log_version + 1)) &&
                   Contains("reads version " + std::to_string(event_log_version)));
}

TEST_CASE("read_agent_log stops at the file when committed runs beyond it", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    log.capacity = 4;
    log.committed = 10;
    log.write(path);
    const AgentHistory history = read_agent_log(path, 3);
    REQUIRE(history.events.size() == 4);
    CHECK(history.events[3].seq == 4);
    CHECK(history.log_damage == "committed 10 records, beyond the 4 the file holds");
}

TEST_CASE("read_agent_log reports a missing log", "[read-log]") {
    const TempDir dir;
    const AgentHistory history = read_agent_log(dir.file("never-written.log"), 2);
    CHECK(history.agent_id == 2);
    CHECK(history.events.empty());
    CHECK(history.log_damage == "no event log");
}

TEST_CASE("read_agent_log reports a file shorter than the header", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile{}.write(path, 10);
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.empty());
    CHECK(history.log_damage == "truncated: 10 bytes, less than the event log header");
}

TEST_CASE("read_agent_log notes a log that names another agent", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile{}.write(path);
    const AgentHistory history = read_agent_log(path, 4);
    CHECK(history.events.size() == 5);
    CHECK(history.log_damage == "the log names agent 3, expected agent 4");
}

TEST_CASE("read_agent_log reports an empty file", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    std::ofstream(path).close();
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.empty());
    CHECK(history.log_damage == "truncated: 0 bytes, less than the event log header");
}

TEST_CASE("read_agent_log refuses a file that is not an event log", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    std::ofstream out(path);
    for (int i = 0; i < 40; ++i)
        out << "name: not an event log, but long enough to hold a header\n";
    out.close();
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.empty());
    CHECK_THAT(history.log_damage, Contains("bad magic") && Contains("not an event log"));
}

TEST_CASE("read_agent_log refuses a directory in the log's place", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    std::filesystem::create_directory(path);
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.empty());
    CHECK_THAT(history.log_damage, Contains("is not a regular file"));
}

TEST_CASE("read_agent_log refuses records of another size or a header of another size",
          "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    SECTION("record size") {
        log.record_size = 64;
        log.write(path);
        const AgentHistory history = read_agent_log(path, 3);
        CHECK(history.events.empty());
        CHECK(history.log_damage == "record size 64, expected 96");
    }
    SECTION("header size") {
        log.header_size = 128;
        log.write(path);
        const AgentHistory history = read_agent_log(path, 3);
        CHECK(history.events.empty());
        CHECK(history.log_damage == "header size 128, expected 256");
    }
}

TEST_CASE("read_agent_log keeps the records a capacity that lies low leaves out", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    log.capacity = 3; // the file holds 5 written records and 3 of room: 8
    log.records.assign(8, EventRecord{});
    for (std::uint64_t i = 0; i < 5; ++i)
        log.records[i] = numbered(i + 1);
    log.write(path);
    const AgentHistory history = read_agent_log(path, 3);
    REQUIRE(history.events.size() == 5);
    CHECK(history.events[4].seq == 5);
    CHECK(history.log_damage == "committed 5 records, beyond the capacity of 3");
}

TEST_CASE("read_agent_log stops at room the agent never wrote, whatever committed says",
          "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    log.capacity = 8;
    log.committed = 5;
    log.write(path);
    // Committed says 7; records 5 and 6 are the zeros of a preallocated file.
    LogFile lying = log;
    lying.records = [&] {
        std::vector<EventRecord> records(8, EventRecord{});
        for (std::uint64_t i = 0; i < 5; ++i)
            records[i] = numbered(i + 1);
        return records;
    }();
    lying.committed = 7;
    lying.write(path);
    const AgentHistory history = read_agent_log(path, 3);
    REQUIRE(history.events.size() == 5);
    CHECK(history.events[4].seq == 5);
    CHECK(history.log_damage == "record 5 (counting from 0) is not an event (op kind 0, outcome "
                                "0, flags 0x0): the 5 records before it are kept, the 2 from it "
                                "on are not");
}

TEST_CASE("read_agent_log keeps the records before one that is not an event", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    log.write(path);
    std::vector<EventRecord> records(8, EventRecord{});
    for (std::uint64_t i = 0; i < 5; ++i)
        records[i] = numbered(i + 1);
    SECTION("an op kind the format does not have") {
        records[2].kind = static_cast<OpKind>(77);
        log.records = records;
        log.write(path);
        const AgentHistory history = read_agent_log(path, 3);
        CHECK(history.events.size() == 2);
        CHECK_THAT(history.log_damage, Contains("record 2 (counting from 0) is not an event (op "
                                                "kind 77, outcome 0, flags 0x0)"));
    }
    SECTION("an outcome the format does not have") {
        records[3].outcome = static_cast<Outcome>(9);
        log.records = records;
        log.write(path);
        const AgentHistory history = read_agent_log(path, 3);
        CHECK(history.events.size() == 3);
        CHECK_THAT(history.log_damage, Contains("outcome 9"));
    }
    SECTION("a flag the format does not have") {
        records[4].flags = event_flag::observed | (1u << 20);
        log.records = records;
        log.write(path);
        const AgentHistory history = read_agent_log(path, 3);
        CHECK(history.events.size() == 4);
        CHECK_THAT(history.log_damage, Contains("flags 0x100010"));
    }
}

TEST_CASE("read_agent_log takes every op kind, outcome and flag the format names", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    for (std::uint16_t kind = 0; kind < 40; ++kind) {
        EventRecord event = numbered(1);
        event.kind = static_cast<OpKind>(kind);
        const bool named = to_string(event.kind) != "unknown-op";
        log.records = {event};
        log.capacity = log.committed = 1;
        log.write(path);
        INFO("op kind " << kind);
        CHECK(read_agent_log(path, 3).events.size() == (named ? 1u : 0u));
    }
    for (std::uint16_t outcome = 0; outcome < 40; ++outcome) {
        EventRecord event = numbered(1);
        event.outcome = static_cast<Outcome>(outcome);
        const bool named = to_string(event.outcome) != "unknown-outcome";
        log.records = {event};
        log.write(path);
        INFO("outcome " << outcome);
        CHECK(read_agent_log(path, 3).events.size() == (named ? 1u : 0u));
    }
    EventRecord event = numbered(1);
    for (const EventFlagName& flag : event_flag_table)
        event.flags |= flag.bit;
    log.records = {event};
    log.write(path);
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.size() == 1);
    CHECK(history.log_damage.empty());
}

TEST_CASE("read_agent_log notes an unknown status or clock and keeps the records", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile log;
    SECTION("status") {
        log.status = 9;
        log.write(path);
        const AgentHistory history = read_agent_log(path, 3);
        CHECK(history.events.size() == 5);
        CHECK(history.log_damage == "unknown log status 9");
    }
    SECTION("clock") {
        log.clock = static_cast<ClockKind>(7);
        log.write(path);
        const AgentHistory history = read_agent_log(path, 3);
        CHECK(history.events.size() == 5);
        CHECK(history.log_damage ==
              "unknown clock kind 7: its times may not be CLOCK_MONOTONIC nanoseconds");
    }
}

TEST_CASE("read_agent_log notes stray bytes after the last whole record", "[read-log]") {
    const TempDir dir;
    const std::string path = dir.file("agent-3.log");
    LogFile{}.write(path);
    std::ofstream(path, std::ios::binary | std::ios::app) << "tail";
    const AgentHistory history = read_agent_log(path, 3);
    CHECK(history.events.size() == 5);
    CHECK(history.log_damage == "4 stray bytes after the last whole record");
}

namespace {

// A log as a run leaves it: an open, writes and reads under the lock, an explicit section, a
// wait_for that polls twice, increments, a try_lock that found the lock busy; room to spare.
LogFile realistic_log() {
    LogFile log;
    log.capacity = 64;
    std::uint64_t stamp = 0;
    std::uint64_t now = 1000;
    const auto event = [&](OpKind kind, std::uint32_t flags, Outcome outcome = Outcome::ok) {
        EventRecord e{};
        e.op_id = static_cast<std::uint32_t>(log.records.size() % 7 + 1);
        e.kind = kind;
        e.outcome = outcome;
        e.seq = log.records.size() + 1;
        e.flags = flags;
        e.t_requested = now;
        e.t_acquired = now + 10;
        e.t_released = now + 50;
        now += 100;
        if (flags & (event_flag::critical_section | event_flag::in_section)) e.stamp = ++stamp;
        e.msg_writer = 3;
        e.msg_writer_seq = e.seq;
        e.msg_length = 5;
        e.msg_checksum = e.computed_checksum = 0xabcdef00u + e.seq;
        log.records.push_back(e);
    };
    using namespace event_flag;
    event(OpKind::open, 0);
    for (int round = 0; round < 4; ++round) {
        event(OpKind::write, critical_section | written);
        event(OpKind::read, critical_section | observed | expect);
        event(OpKind::lock, in_section);
        event(OpKind::write, in_section | written);
        event(OpKind::unlock, critical_section);
        event(OpKind::wait_for, critical_section | observed, Outcome::pending);
        event(OpKind::wait_for, critical_section | observed);
        event(OpKind::increment, critical_section);
        event(OpKind::try_lock, 0, Outcome::busy);
    }
    event(OpKind::close, 0);
    log.committed = log.records.size();
    log.records.resize(log.capacity, EventRecord{});
    return log;
}

} // namespace

TEST_CASE("read_agent_log survives thousands of random flips and cuts of a real log",
          "[read-log]") {
    const TempDir dir;
    const LogFile log = realistic_log();
    const std::vector<char> original = log.image();
    const std::size_t header = sizeof(EventLogHeader);
    const std::size_t record = sizeof(EventRecord);
    // Fixed seed: a failure reproduces. 3000 mutations take well under a second.
    std::mt19937_64 random(20240611);
    std::uint64_t damaged = 0;
    for (int round = 0; round < 3000; ++round) {
        std::vector<char> bytes = original;
        std::vector<bool> changed_record(log.capacity, false); // records a flip landed in
        const int flips = random() % 3 == 0 ? 0 : 1 + static_cast<int>(random() % 4);
        for (int f = 0; f < flips; ++f) {
            // Half the flips in the header, where every field matters.
            const std::size_t at = random() % 2 == 0 ? random() % header : random() % bytes.size();
            bytes[at] = static_cast<char>(bytes[at] ^ (1 << (random() % 8)));
            if (at >= header) changed_record[(at - header) / record] = true;
        }
        const bool cut = flips == 0 || random() % 4 == 0;
        if (cut) bytes.resize(random() % bytes.size());
        // A new file each round: rewriting one in place makes ext4 flush it to disk on close.
        const std::string path = dir.file("agent-3-" + std::to_string(round) + ".log");
        {
            std::ofstream out(path, std::ios::binary);
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        }
        const AgentHistory history = read_agent_log(path, 3);
        std::filesystem::remove(path);
        INFO("round " << round << ": " << flips << " flips, " << bytes.size() << " bytes");
        if (!history.log_damage.empty()) ++damaged;
        // A cut always loses room the header promised.
        if (cut) CHECK(!history.log_damage.empty());
        // Records never shift and are never invented: each one read is the original, or one a
        // flip landed in (a wrong time or stamp cannot be told from a right one: the format has
        // no checksum); without damage, none is read beyond what the agent committed.
        for (std::size_t i = 0; i < history.events.size(); ++i) {
            INFO("record " << i);
            CHECK((changed_record[i] ||
                   std::memcmp(&history.events[i], original.data() + header + i * record, record) ==
                       0));
        }
        if (history.log_damage.empty()) CHECK(history.events.size() <= log.committed);
        // Whatever the log held, the checker judges it without crashing.
        History whole;
        whole.agents.push_back(history);
        whole.agents.back().name = "carol";
        CHECK(check_history(whole).size() == test::checked_property_count());
    }
    // The mutations did damage logs, and the reader said so.
    CHECK(damaged > 1000);
}

TEST_CASE("make_agent_history holds its events", "[read-log]") {
    const AgentHistory history = make_agent_history(7, "grace", {numbered(1), numbered(2)});
    CHECK(history.agent_id == 7);
    CHECK(history.name == "grace");
    REQUIRE(history.events.size() == 2);
    CHECK(history.events[1].seq == 2);
    CHECK(history.log_damage.empty());
}
