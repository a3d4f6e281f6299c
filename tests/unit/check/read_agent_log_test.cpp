#include "history.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
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
    std::uint64_t capacity = 8;
    std::uint64_t committed = 5;
    std::uint32_t agent_id = 3;
    LogStatus status = LogStatus::finished;

    // Writes the header and `capacity` records (the first `committed` numbered), then cuts the
    // file to `size` bytes when asked.
    void write(const std::string& path, std::uint64_t size = 0) const {
        EventLogHeader header{};
        header.magic = magic;
        header.version = version;
        header.header_size = sizeof(EventLogHeader);
        header.record_size = sizeof(EventRecord);
        header.agent_id = agent_id;
        header.clock = ClockKind::monotonic;
        header.capacity = capacity;
        header.committed.store(committed);
        header.status.store(static_cast<std::uint32_t>(status));
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(&header), sizeof header);
        for (std::uint64_t i = 0; i < capacity; ++i) {
            const EventRecord event = i < committed ? numbered(i + 1) : EventRecord{};
            out.write(reinterpret_cast<const char*>(&event), sizeof event);
        }
        out.close();
        if (size != 0) std::filesystem::resize_file(path, size);
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

TEST_CASE("make_agent_history holds its events", "[read-log]") {
    const AgentHistory history = make_agent_history(7, "grace", {numbered(1), numbered(2)});
    CHECK(history.agent_id == 7);
    CHECK(history.name == "grace");
    REQUIRE(history.events.size() == 2);
    CHECK(history.events[1].seq == 2);
    CHECK(history.log_damage.empty());
}
