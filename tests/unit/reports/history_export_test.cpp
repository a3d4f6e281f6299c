// --export-history's writer: a history as Porcupine operations and as Knossos / elle-cli events,
// parsed back: the ops, their values, their order, and a crashed agent's write in flight as
// Porcupine's "infinite" return and Knossos's `info`.
#include "../check/history_builder.hpp"
#include "history_export.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

using namespace ipch;
using namespace ipch::test;
using nlohmann::json;

namespace {

EventRecord write_at(std::uint64_t seq, std::uint64_t acquired, std::uint64_t released,
                     std::uint32_t writer, std::uint64_t writer_seq) {
    EventRecord record = Event(OpKind::write, op_write, seq)
                             .section(seq, acquired, released)
                             .wrote(writer, writer_seq, writer_seq * 7);
    record.t_requested = acquired - 5;
    return record;
}

EventRecord read_at(std::uint64_t seq, std::uint64_t acquired, std::uint64_t released,
                    std::uint32_t writer, std::uint64_t writer_seq) {
    EventRecord record = Event(OpKind::read, op_read, seq)
                             .section(seq, acquired, released)
                             .saw(writer, writer_seq, writer_seq * 7);
    record.t_requested = acquired - 5;
    return record;
}

// alice writes #1 and #2, then dies with her third write in flight; bob reads the empty mapping,
// #1, then #3 (so the write in flight did happen).
History sample() {
    return history_of(
        {ended(agent(1, "alice", {write_at(1, 100, 200, 1, 1), write_at(2, 300, 400, 1, 2)}),
               AgentEnd::crashed, 9),
         agent(
             2, "bob",
             {read_at(1, 50, 60, 0, 0), read_at(2, 250, 260, 1, 1), read_at(3, 500, 510, 1, 3)})});
}

json exported(const History& history, lin::Model model, HistoryFormat format) {
    std::ostringstream out;
    write_history(out, history, model, format);
    json document = json::parse(out.str(), nullptr, false);
    REQUIRE_FALSE(document.is_discarded());
    REQUIRE(document.is_array());
    return document;
}

} // namespace

TEST_CASE("the register history as Porcupine operations", "[export][porcupine]") {
    const json ops = exported(sample(), lin::Model::register_model, HistoryFormat::porcupine);
    REQUIRE(ops.size() == 6);
    // In call order; every op has exactly Porcupine's five fields.
    for (std::size_t i = 0; i < ops.size(); ++i) {
        INFO(ops[i].dump());
        CHECK(ops[i].size() == 5);
        for (const char* key : {"ClientId", "Input", "Call", "Output", "Return"})
            CHECK(ops[i].contains(key));
        if (i > 0) CHECK(ops[i - 1]["Call"] <= ops[i]["Call"]);
    }
    CHECK(ops[0] == json::parse(R"({"ClientId":1,"Input":{"op":"read"},"Call":50,"Output":null,
                                    "Return":60})"));
    CHECK(ops[1] == json::parse(R"({"ClientId":0,"Input":{"op":"write","value":"1:1"},"Call":100,
                                    "Output":null,"Return":200})"));
    CHECK(ops[2] == json::parse(R"({"ClientId":1,"Input":{"op":"read"},"Call":250,
                                    "Output":"1:1","Return":260})"));
    CHECK(ops[3]["Input"]["value"] == "1:2");
    // alice's write in flight: called after her last event, returning at "infinity".
    CHECK(ops[4] == json::parse(R"({"ClientId":0,"Input":{"op":"write","value":"1:3"},"Call":400,
                                    "Output":null,"Return":9223372036854775807})"));
    CHECK(ops[5]["Output"] == "1:3");
}

TEST_CASE("the register history as Knossos / elle-cli events", "[export][knossos]") {
    const json events = exported(sample(), lin::Model::register_model, HistoryFormat::knossos);
    REQUIRE(events.size() == 12);    // an invocation and a completion per op
    std::map<int, std::string> open; // process -> the f of its open invocation
    for (std::size_t i = 0; i < events.size(); ++i) {
        const json& event = events[i];
        INFO(event.dump());
        CHECK(event["index"] == i);
        const int process = event["process"];
        const std::string type = event["type"];
        // One op open at a time per process, completions matching their invocation.
        if (type == "invoke") {
            CHECK(open.count(process) == 0);
            open[process] = event["f"];
        } else {
            REQUIRE(open.count(process) == 1);
            CHECK(open[process] == event["f"]);
            open.erase(process);
        }
        if (i > 0 && type != "info") CHECK(events[i - 1]["time"] <= event["time"]);
    }
    CHECK(open.empty());
    CHECK(events[0] == json::parse(R"({"process":1,"type":"invoke","f":"read","value":null,
                                       "time":50,"index":0})"));
    CHECK(events[1] == json::parse(R"({"process":1,"type":"ok","f":"read","value":null,
                                       "time":60,"index":1})"));
    CHECK(events[2] == json::parse(R"({"process":0,"type":"invoke","f":"write","value":"1:1",
                                       "time":100,"index":2})"));
    // The write in flight is invoked in time order and completes as info, last.
    CHECK(events[8] == json::parse(R"({"process":0,"type":"invoke","f":"write","value":"1:3",
                                       "time":400,"index":8})"));
    CHECK(events[10]["type"] == "ok");
    CHECK(events[10]["value"] == "1:3");
    CHECK(events[11] == json::parse(R"({"process":0,"type":"info","f":"write","value":"1:3",
                                        "time":510,"index":11})"));
}

TEST_CASE("the mutex history: acquires and releases, an unreleased section's release is info",
          "[export][knossos]") {
    EventRecord crash = Event(OpKind::crash, op_crash, 2).unreleased(3, 600);
    const History history = history_of(
        {ended(agent(1, "alice", {write_at(1, 100, 200, 1, 1), crash}), AgentEnd::crashed, 9),
         agent(2, "bob", {read_at(1, 300, 400, 1, 1), read_at(2, 700, 800, 1, 1)})});
    const json ops = exported(history, lin::Model::mutex, HistoryFormat::porcupine);
    REQUIRE(ops.size() == 8);
    CHECK(ops[0] == json::parse(R"({"ClientId":0,"Input":{"op":"acquire"},"Call":95,
                                    "Output":null,"Return":100})"));
    // The release lasts from inside the section until alice's next event began.
    CHECK(ops[1] == json::parse(R"({"ClientId":0,"Input":{"op":"release"},"Call":200,
                                    "Output":null,"Return":600})"));

    const json events = exported(history, lin::Model::mutex, HistoryFormat::knossos);
    REQUIRE(events.size() == 16);
    std::size_t infos = 0;
    for (const json& event : events) {
        CHECK(!event.contains("value"));
        if (event["type"] == "info") {
            ++infos;
            CHECK(event["f"] == "release");
        }
    }
    // alice's crash inside the lock, and bob's last release (nothing recorded its end).
    CHECK(infos == 2);
    CHECK(events.back()["type"] == "info");
}

TEST_CASE("the export format follows the option, else the file's name", "[export]") {
    CHECK(history_format_named("porcupine") == HistoryFormat::porcupine);
    CHECK(history_format_named("knossos") == HistoryFormat::knossos);
    CHECK(history_format_named("elle") == HistoryFormat::knossos);
    CHECK_FALSE(history_format_named("edn"));
    CHECK(history_format_for_path("out/history.json") == HistoryFormat::porcupine);
    CHECK(history_format_for_path("out/history.knossos.json") == HistoryFormat::knossos);
    CHECK(history_format_for_path("history.elle.json") == HistoryFormat::knossos);
    CHECK(history_model_named("register") == lin::Model::register_model);
    CHECK(history_model_named("mutex") == lin::Model::mutex);
    CHECK_FALSE(history_model_named("queue"));
}

namespace {

// The ```json blocks of docs/reports.md's "Exported histories" section, keys in their order.
std::vector<nlohmann::ordered_json> documented_examples() {
    std::ifstream in(std::string(IPCH_SOURCE_DIR) + "/docs/reports.md");
    std::vector<nlohmann::ordered_json> blocks;
    std::string line, block;
    bool in_section = false, in_block = false;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) in_section = line == "## Exported histories";
        if (!in_section) continue;
        if (!in_block && line == "```json") {
            in_block = true;
            block.clear();
        } else if (in_block && line == "```") {
            in_block = false;
            blocks.push_back(nlohmann::ordered_json::parse(block, nullptr, false));
        } else if (in_block) {
            block += line + "\n";
        }
    }
    return blocks;
}

} // namespace

TEST_CASE("the exported histories shown in docs/reports.md have the writer's form",
          "[export][docs]") {
    const std::vector<nlohmann::ordered_json> examples = documented_examples();
    REQUIRE(examples.size() == 2);
    const auto& porcupine = examples[0];
    REQUIRE(porcupine.is_array());
    REQUIRE_FALSE(porcupine.empty());
    for (const auto& op : porcupine) {
        INFO(op.dump());
        std::vector<std::string> keys;
        for (const auto& item : op.items())
            keys.push_back(item.key());
        CHECK(keys == std::vector<std::string>{"ClientId", "Input", "Call", "Output", "Return"});
        CHECK(op["Call"] <= op["Return"]);
    }
    const auto& knossos = examples[1];
    REQUIRE(knossos.is_array());
    for (std::size_t i = 0; i < knossos.size(); ++i) {
        INFO(knossos[i].dump());
        CHECK(knossos[i]["index"] == i);
        for (const char* key : {"process", "type", "f", "value", "time"})
            CHECK(knossos[i].contains(key));
    }
    // The crashed write in flight: infinite in one, info in the other.
    CHECK(porcupine[1]["Return"] == 9223372036854775807ull);
    CHECK(knossos.back()["type"] == "info");
    CHECK(knossos.back()["value"] == porcupine[1]["Input"]["value"]);
}
