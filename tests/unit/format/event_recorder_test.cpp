#include "event_recorder.hpp"
#include "history.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <unistd.h>

using namespace ipch;

namespace {

std::filesystem::path temp_log(const char* name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ipch-test-recorder-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    return dir / name;
}

EventRecord event(std::uint64_t seq) {
    EventRecord e{};
    e.op_id = 1;
    e.kind = OpKind::write;
    e.seq = seq;
    e.stamp = seq;
    return e;
}

} // namespace

TEST_CASE("the recorder's log reads back record for record, past its first capacity",
          "[recorder]") {
    const auto path = temp_log("grow.events");
    {
        EventRecorder recorder(path.string(), 3, 16);
        for (std::uint64_t i = 1; i <= 100; ++i)
            recorder.record(event(i));
        CHECK(recorder.committed() == 100);
        recorder.close(LogStatus::finished);
    }
    const AgentHistory history = read_agent_log(path.string(), 3);
    CHECK(history.log_damage.empty());
    CHECK(history.log_status == LogStatus::finished);
    REQUIRE(history.events.size() == 100);
    for (std::uint64_t i = 0; i < 100; ++i)
        CHECK(history.events[i].seq == i + 1);
    std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("a log abandoned mid-run keeps every committed record", "[recorder]") {
    const auto path = temp_log("abandoned.events");
    {
        // No close(): as if the agent died after its fifth op.
        EventRecorder recorder(path.string(), 1, 64);
        for (std::uint64_t i = 1; i <= 5; ++i)
            recorder.record(event(i));
    }
    const AgentHistory history = read_agent_log(path.string(), 1);
    CHECK(history.log_status == LogStatus::running);
    REQUIRE(history.events.size() == 5);
    CHECK(history.events[4].seq == 5);
    std::filesystem::remove_all(path.parent_path());
}
