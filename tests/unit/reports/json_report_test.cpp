#include "json_report.hpp"
#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

std::string json_text(const ipch::RunResults& results) {
    std::ostringstream out;
    ipch::write_json_report(out, results);
    return out.str();
}

nlohmann::json parse(const std::string& text) {
    nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    REQUIRE_FALSE(document.is_discarded());
    return document;
}

} // namespace

TEST_CASE("JSON report matches its golden file", "[json]") {
    const ipch::RunResults results = ipch::test::sample_results();
    ipch::test::check_golden("report.json", json_text(results), results);
}

TEST_CASE("JSON report holds the run and its summary", "[json]") {
    const nlohmann::json document = parse(json_text(ipch::test::sample_results()));
    CHECK(document["schema_version"] == 1);
    CHECK(document["tool"]["name"] == "ipc-harness");
    CHECK(document["tool"]["version"] == "0.1.0");
    CHECK(document["started"] == "2024-05-01T12:00:00Z");
    CHECK(document["duration_s"] == 2.5);
    CHECK(document["interrupted"] == false);
    CHECK(document["exit_code"] == 2); // bad input wins
    CHECK(document["summary"] == nlohmann::json{{"passed", 1},
                                                {"control-caught", 1},
                                                {"failed", 1},
                                                {"control-missed", 0},
                                                {"bad-input", 1},
                                                {"harness-error", 0}});
    REQUIRE(document["scenarios"].size() == 4);
}

TEST_CASE("JSON report describes each scenario, agent and property", "[json]") {
    const nlohmann::json document = parse(json_text(ipch::test::sample_results()));
    const nlohmann::json& failed = document["scenarios"][1];
    CHECK(failed["name"] == "lock-skipped");
    CHECK(failed["outcome"] == "failed");
    CHECK(failed["is_failure"] == true);
    CHECK(failed["run_dir"] == "/tmp/ipch-runs/20240501T120001-3c4d");
    CHECK(failed["events"] == 12);
    CHECK(failed["critical_sections"] == 10);
    CHECK(failed["agents"][1] == nlohmann::json{{"id", 2},
                                                {"name", "beta"},
                                                {"end", "crashed"},
                                                {"exit_code", 0},
                                                {"signal", 11},
                                                {"events", 5},
                                                {"log_damage", "the last record is incomplete"}});
    const nlohmann::json& property = failed["properties"][0];
    CHECK(property["id"] == "mutual-exclusion");
    CHECK(property["verdict"] == "fail");
    CHECK(property["requirement"] == "must-hold");
    CHECK(property["met"] == false);
    CHECK(property["checked"] == 10);
    CHECK(property["violations"] == 3);
    CHECK(property["evidence"].size() == 1);

    const nlohmann::json& observed = document["scenarios"][0]["properties"][3];
    CHECK(observed["id"] == "persistence");
    CHECK(observed["verdict"] == "observed");
    CHECK(observed["requirement"] == "info");
    CHECK(observed["met"] == true);
    CHECK(observed["detail"] == "mapping kept with its data; mutex kept");

    const nlohmann::json& bad = document["scenarios"][3];
    CHECK(bad["outcome"] == "bad-input");
    CHECK(bad["name"] == "");
    CHECK(bad["messages"].size() == 2);
}

TEST_CASE("JSON report records the seeds and each case's values", "[json]") {
    const nlohmann::json document = parse(json_text(ipch::test::sample_results()));
    // Decimal strings: a 64-bit seed does not survive a JSON number in JavaScript.
    CHECK(document["seed"] == "42");
    const nlohmann::json& matrix_case = document["scenarios"][0];
    CHECK(matrix_case["name"] == "two-writers[agents=2,hold=1.5,label=4]");
    CHECK(matrix_case["seed"] == "11400714819323198485");
    // Plain values YAML reads as numbers are numbers; a quoted one stays a string.
    CHECK(matrix_case["parameters"] ==
          nlohmann::json{{"agents", 2}, {"hold", 1.5}, {"label", "4"}});
    CHECK(document["scenarios"][1]["parameters"] == nlohmann::json::object());
    const nlohmann::json& observed = document["scenarios"][0]["properties"][3];
    CHECK(observed["id"] == "persistence");
    CHECK(observed["verdict"] == "observed");
    CHECK(observed["requirement"] == "info");
    CHECK(observed["met"] == true);
    CHECK(observed["detail"] == "mapping kept with its data; mutex kept");

    const nlohmann::json& bad = document["scenarios"][3];
    CHECK(bad["seed"].is_null());
}

TEST_CASE("JSON parameter values: numbers and bools only as YAML reads them", "[json]") {
    ipch::RunResults results = ipch::test::sample_results();
    results.scenarios[0].parameters = {
        {"a", "true", false},  {"b", "-7", false},   {"c", "2.5e3", false},
        {"d", "0x10", false},  {"e", "007", false},  {"f", "123456789012345678901", false},
        {"g", "1e400", false}, {"h", "false", true}, {"i", "named_mutex", false},
    };
    const nlohmann::json values = parse(json_text(results))["scenarios"][0]["parameters"];
    CHECK(values == nlohmann::json{{"a", true},
                                   {"b", -7},
                                   {"c", 2500.0},
                                   {"d", "0x10"},
                                   {"e", "007"},
                                   {"f", "123456789012345678901"},
                                   {"g", "1e400"},
                                   {"h", "false"},
                                   {"i", "named_mutex"}});
}

TEST_CASE("JSON evidence events carry every field, checksums as hex strings", "[json]") {
    const nlohmann::json document = parse(json_text(ipch::test::sample_results()));
    const nlohmann::json& event =
        document["scenarios"][1]["properties"][0]["evidence"][0]["events"][1];
    CHECK(event["agent_id"] == 2);
    CHECK(event["agent"] == "beta");
    CHECK(event["op"] == "read");
    CHECK(event["index"] == 5);
    CHECK(event["kind"] == "read");
    CHECK(event["outcome"] == "ok");
    CHECK(event["seq"] == 5);
    CHECK(event["attempt"] == 0);
    CHECK(event["stamp"] == 8);
    CHECK(event["t_requested_ns"] == 1050);
    CHECK(event["t_acquired_ns"] == 1200);
    CHECK(event["t_released_ns"] == 1300);
    CHECK(event["flags"] == nlohmann::json::array({"critical_section", "owner_busy", "observed"}));
    CHECK(event["message"] == nlohmann::json{{"writer", 1},
                                             {"writer_seq", 3},
                                             {"length", 12},
                                             {"checksum", "0x9e3779b97f4a7c15"}});
    CHECK(event["computed_checksum"] == "0x9e3779b97f4a7c15");
    CHECK(event["error"] == 0);
}

TEST_CASE("JSON event without a message has a null message", "[json]") {
    ipch::RunResults results = ipch::test::sample_results();
    ipch::EvidenceEvent& event = results.scenarios[1].properties[0].result.evidence[0].events[0];
    event.event.flags = ipch::event_flag::critical_section;
    event.event.msg_writer = 0;
    const nlohmann::json document = parse(json_text(results));
    CHECK(
        document["scenarios"][1]["properties"][0]["evidence"][0]["events"][0]["message"].is_null());
}

TEST_CASE("JSON exit code follows the results", "[json]") {
    ipch::RunResults results = ipch::test::sample_results();
    results.scenarios.pop_back(); // no bad input left: the failure decides
    CHECK(parse(json_text(results))["exit_code"] == 1);
    results.scenarios.erase(results.scenarios.begin() + 1);
    CHECK(parse(json_text(results))["exit_code"] == 0);
}
