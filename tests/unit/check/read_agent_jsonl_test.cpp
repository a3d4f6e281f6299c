// An external agent's JSON-lines event file, read into the same AgentHistory as the binary log:
// whole files, and every way a file can be damaged (a cut last line, garbage, wrong types).
#include "history.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <stdlib.h>
#include <string>

using namespace ipch;
using Catch::Matchers::Contains;

namespace {

class TempFile {
  public:
    explicit TempFile(const std::string& text) {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "ipch-jsonl-XXXXXX").string();
        dir_ = ::mkdtemp(pattern.data());
        std::ofstream(path()) << text;
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }
    std::string path() const { return (dir_ / "agent.events.jsonl").string(); }

  private:
    std::filesystem::path dir_;
};

AgentHistory read(const std::string& text) {
    const TempFile file(text);
    return read_agent_jsonl(file.path(), 2);
}

// One line per event, as the Python agent writes them.
const std::string write_line =
    R"({"op_id":2,"kind":"write","outcome":"ok","seq":1,"flags":["critical_section","written"],)"
    R"("t_requested":1000,"t_acquired":1100,"t_released":1200,"owner_seen":0,"stamp":7,)"
    R"("msg_writer":2,"msg_length":5,"msg_writer_seq":1,"msg_checksum":18446744073709551615})"
    "\n";
const std::string read_line =
    R"({"op_id":3,"kind":"read","outcome":"mismatch","seq":2,"attempt":0,"flags":17,)"
    R"("t_requested":1300,"t_acquired":1400,"t_released":1500,"stamp":8,"msg_writer":1,)"
    R"("msg_length":3,"msg_writer_seq":4,"msg_checksum":"0xef46db3751d8e999",)"
    R"("computed_checksum":12,"error":0,"owner_seen":65538})"
    "\n";

} // namespace

TEST_CASE("a whole JSON-lines file gives every event and its status", "[history][jsonl]") {
    const AgentHistory agent = read(write_line + read_line + "{\"status\":\"finished\"}\n");
    INFO(agent.log_damage);
    CHECK(agent.log_damage.empty());
    CHECK(agent.agent_id == 2);
    CHECK(agent.log_status == LogStatus::finished);
    REQUIRE(agent.events.size() == 2);
    const EventRecord& w = agent.events[0];
    CHECK(w.op_id == 2);
    CHECK(w.kind == OpKind::write);
    CHECK(w.outcome == Outcome::ok);
    CHECK(w.seq == 1);
    CHECK(w.flags == (event_flag::critical_section | event_flag::written));
    CHECK(w.t_requested == 1000);
    CHECK(w.t_acquired == 1100);
    CHECK(w.t_released == 1200);
    CHECK(w.stamp == 7);
    CHECK(w.msg_writer == 2);
    CHECK(w.msg_length == 5);
    CHECK(w.msg_writer_seq == 1);
    CHECK(w.msg_checksum == 18446744073709551615ull); // 2^64-1: exact, not a double
    const EventRecord& r = agent.events[1];
    CHECK(r.kind == OpKind::read);
    CHECK(r.outcome == Outcome::mismatch);
    CHECK(r.flags == (event_flag::critical_section | event_flag::observed)); // bits: 17
    CHECK(r.msg_checksum == 0xef46db3751d8e999ull);                          // a hex string
    CHECK(r.computed_checksum == 12);
    CHECK(r.owner_seen == 65538);
}

TEST_CASE("without a status line the log stays running, and a failed status is kept",
          "[history][jsonl]") {
    CHECK(read(write_line).log_status == LogStatus::running);
    CHECK(read(write_line + "{\"status\":\"failed\"}\n").log_status == LogStatus::failed);
    CHECK(read(write_line + "\n\n").log_damage.empty()); // blank lines are nothing
}

TEST_CASE("a truncated last line is damage, and the events before it are kept",
          "[history][jsonl]") {
    const std::string cut = read_line.substr(0, read_line.size() / 2);
    const AgentHistory agent = read(write_line + cut);
    CHECK(agent.events.size() == 1);
    CHECK(agent.events[0].op_id == 2);
    CHECK(agent.log_damage == "line 2: truncated: the last line ends mid-event");
    CHECK(agent.log_status == LogStatus::running);
}

TEST_CASE("an unterminated last line that is a whole event is kept", "[history][jsonl]") {
    const AgentHistory agent = read(write_line + read_line.substr(0, read_line.size() - 1));
    CHECK(agent.events.size() == 2);
    CHECK(agent.log_damage.empty());
}

TEST_CASE("garbage ends the reading at its line, whatever follows", "[history][jsonl]") {
    const AgentHistory agent = read(write_line + "\x01\xff garbage\n" + read_line);
    CHECK(agent.events.size() == 1);
    CHECK_THAT(agent.log_damage, Contains("line 2: not JSON: "));
    CHECK_THAT(agent.log_damage, Contains("(the lines after it are not read)"));

    CHECK(read("[1, 2]\n").log_damage == "line 1: not a JSON object");
    CHECK(read("{\"status\":\"done\"}\n").log_damage ==
          R"(line 1: a status line is {"status":"done"}; expected {"status": "finished"} or )"
          R"({"status": "failed"})");
}

TEST_CASE("fields of the wrong type or value are damage, named", "[history][jsonl]") {
    const auto damage = [](const std::string& line) {
        const AgentHistory agent = read(write_line + line + "\n");
        CHECK(agent.events.size() == 1);
        return agent.log_damage;
    };
    const std::string head = R"({"op_id":3,"kind":"read","outcome":"ok","seq":2)";
    CHECK(damage(R"({"op_id":3,"kind":"read","outcome":"ok"})") ==
          "line 2: field 'seq' is missing");
    CHECK(damage(R"({"op_id":"3","kind":"read","outcome":"ok","seq":2})") ==
          R"(line 2: field 'op_id' is "3"; expected an unsigned integer)");
    CHECK(damage(R"({"op_id":4294967296,"kind":"read","outcome":"ok","seq":2})") ==
          "line 2: field 'op_id' is 4294967296; expected at most 4294967295");
    CHECK(damage(head + R"(,"t_acquired":-5})") ==
          "line 2: field 't_acquired' is -5; expected an unsigned integer (or a \"0x...\" "
          "string)");
    CHECK(damage(head + R"(,"stamp":1.5})") ==
          "line 2: field 'stamp' is 1.5; expected an unsigned integer (or a \"0x...\" string)");
    CHECK(damage(head + R"(,"msg_checksum":"0xfg"})") ==
          R"(line 2: field 'msg_checksum' is "0xfg"; expected an unsigned integer (or a "0x..." )"
          R"(string))");
    CHECK_THAT(damage(R"({"op_id":3,"kind":"juggle","outcome":"ok","seq":2})"),
               Contains("field 'kind' is \"juggle\"; expected one of: open, write, read,"));
    CHECK_THAT(damage(R"({"op_id":3,"kind":"read","outcome":true,"seq":2})"),
               Contains("field 'outcome' is true; expected one of: ok, error, timeout,"));
    CHECK_THAT(damage(head + R"(,"flags":["critical_section","sparkly"]})"),
               Contains("unknown flag \"sparkly\"; expected one of: critical_section,"));
    CHECK(damage(head + R"(,"flags":"torn"})") ==
          R"(line 2: field 'flags' is "torn"; expected a list of flag names or a number of flag )"
          "bits");
    CHECK(damage(head + R"(,"error":"ENOENT"})") ==
          R"(line 2: field 'error' is "ENOENT"; expected an errno or ipch error code)");
    CHECK(damage(head + R"(,"t_aquired":5})") == "line 2: unknown field 't_aquired'");
    const AgentHistory negative = read(head + R"(,"error":-1})" + "\n");
    REQUIRE(negative.events.size() == 1);
    CHECK(negative.events[0].error == -1);
}

TEST_CASE("a missing or unreadable event file is damage, not an exception", "[history][jsonl]") {
    const AgentHistory missing = read_agent_jsonl("/nonexistent/agent.events.jsonl", 4);
    CHECK(missing.events.empty());
    CHECK(missing.log_damage == "no event log");
    const AgentHistory folder =
        read_agent_jsonl(std::filesystem::temp_directory_path().string(), 4);
    CHECK_THAT(folder.log_damage, Contains("is not a regular file"));
}

TEST_CASE("the event lines shown in docs/agent-protocol.md read whole", "[history][jsonl][docs]") {
    std::ifstream doc(std::string(IPCH_SOURCE_DIR) + "/docs/agent-protocol.md");
    std::string line, text;
    bool in_block = false;
    while (std::getline(doc, line)) {
        if (!in_block && line == "```jsonl")
            in_block = true;
        else if (in_block && line.rfind("```", 0) == 0)
            break;
        else if (in_block)
            text += line + "\n";
    }
    const AgentHistory agent = read(text);
    INFO(text);
    CHECK(agent.log_damage.empty());
    CHECK(agent.log_status == LogStatus::finished);
    REQUIRE(agent.events.size() == 7);
    CHECK(agent.events[0].kind == OpKind::open);
    CHECK(agent.events[1].flags == (event_flag::critical_section | event_flag::written));
    CHECK(agent.events[3].outcome == Outcome::pending);
    CHECK(agent.events[4].msg_checksum == agent.events[4].computed_checksum);
}
