#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

namespace ipch::test {

namespace {

EventRecord critical_section(OpKind kind, std::uint32_t op_id, std::uint64_t seq,
                             std::uint64_t stamp, std::uint64_t t_requested,
                             std::uint64_t t_acquired, std::uint64_t t_released) {
    EventRecord record{};
    record.op_id = op_id;
    record.kind = kind;
    record.outcome = Outcome::ok;
    record.seq = seq;
    record.flags = event_flag::critical_section;
    record.t_requested = t_requested;
    record.t_acquired = t_acquired;
    record.t_released = t_released;
    record.stamp = stamp;
    return record;
}

EventRecord with_message(EventRecord record, std::uint32_t flag, std::uint32_t writer,
                         std::uint64_t writer_seq) {
    record.flags |= flag;
    record.msg_writer = writer;
    record.msg_writer_seq = writer_seq;
    record.msg_length = 12;
    record.msg_checksum = 0x9e3779b97f4a7c15ULL; // above 2^53: must not become a JSON number
    record.computed_checksum = 0x9e3779b97f4a7c15ULL;
    return record;
}

AgentSummary agent(std::uint32_t id, std::string name, std::uint64_t events) {
    AgentSummary summary;
    summary.agent_id = id;
    summary.name = std::move(name);
    summary.events = events;
    return summary;
}

PropertyOutcome property(std::string id, Verdict verdict, Requirement requirement, bool met,
                         std::string detail, std::uint64_t checked) {
    PropertyOutcome outcome;
    outcome.result.id = std::move(id);
    outcome.result.verdict = verdict;
    outcome.result.detail = std::move(detail);
    outcome.result.checked = checked;
    outcome.requirement = requirement;
    outcome.met = met;
    return outcome;
}

// Two critical sections that overlap: agent 2 acquired while agent 1 still held the lock.
Evidence overlap_evidence() {
    Evidence evidence;
    evidence.summary = "alpha's 'write hello' and beta's 'read' held the lock at the same time";
    evidence.events.push_back(
        {1, "alpha", "write hello", 3,
         with_message(critical_section(OpKind::write, 2, 3, 7, 1000, 1100, 1500),
                      event_flag::written, 1, 4)});
    evidence.events.push_back(
        {2, "beta", "read", 5,
         with_message(critical_section(OpKind::read, 1, 5, 8, 1050, 1200, 1300),
                      event_flag::observed, 1, 3)});
    evidence.events.back().event.flags |= event_flag::owner_busy;
    return evidence;
}

ScenarioResult passed_scenario() {
    ScenarioResult scenario;
    scenario.path = "scenarios/seed/two-writers.yaml";
    // A matrix case: plain values a tool can read as numbers, and one quoted to stay text.
    scenario.name = "two-writers[agents=2,hold=1.5,label=4]";
    scenario.parameters = {{"agents", "2", false}, {"hold", "1.5", false}, {"label", "4", true}};
    scenario.seed = 0x9e3779b97f4a7c15ULL; // above 2^53: must not become a JSON number
    scenario.run_id = "20240501T120000-1a2b";
    scenario.outcome = ScenarioOutcome::passed;
    scenario.duration_s = 1.25;
    scenario.events = 40;
    scenario.critical_sections = 38;
    scenario.agents = {agent(1, "alpha", 20), agent(2, "beta", 20)};
    scenario.properties = {
        property("mutual-exclusion", Verdict::pass, Requirement::hold, true,
                 "38 critical sections, none overlap", 38),
        property("progress", Verdict::pass, Requirement::hold, true, "every agent finished", 2),
        property("fairness", Verdict::not_applicable, Requirement::info, true,
                 "the scenario sets no fairness bound", 0),
        // Reported, not judged: information whatever the scenario asked.
        property("persistence", Verdict::observed, Requirement::info, true,
                 "mapping kept with its data; mutex kept", 2),
    };
    return scenario;
}

ScenarioResult failed_scenario() {
    ScenarioResult scenario;
    scenario.path = "scenarios/seed/lock-skipped.yaml";
    scenario.name = "lock-skipped";
    scenario.seed = 1;
    scenario.run_id = "20240501T120001-3c4d";
    scenario.run_dir = "/tmp/ipch-runs/20240501T120001-3c4d";
    scenario.outcome = ScenarioOutcome::failed;
    scenario.duration_s = 0.5;
    scenario.events = 12;
    scenario.critical_sections = 10;
    scenario.agents = {agent(1, "alpha", 7), agent(2, "beta", 5)};
    scenario.agents[1].end = AgentEnd::crashed;
    scenario.agents[1].signal = 11;
    scenario.agents[1].log_damage = "the last record is incomplete";

    PropertyOutcome exclusion = property("mutual-exclusion", Verdict::fail, Requirement::hold,
                                         false, "3 overlaps among 10 critical sections", 10);
    exclusion.result.violations = 3;
    exclusion.result.evidence = {overlap_evidence()};
    PropertyOutcome progress =
        property("progress", Verdict::fail, Requirement::hold, false, "beta crashed (SIGSEGV)", 2);
    progress.result.violations = 1;
    scenario.properties = {exclusion, progress};
    // It timed out with beta stopped by --chaos inside the lock: the forensics name it.
    HangForensics hang;
    hang.timeout_s = 2;
    hang.owner_word = "0x3c4d0002";
    hang.holder = "beta";
    hang.holder_from = "owner word";
    hang.holder_alive = true;
    hang.agents = {{"alpha", "running", "#2 write \"x\"", "read ok", 1.5, "sleeping", true},
                   {"beta", "running", "#3 read", "write ok", 1.75, "stopped", true}};
    scenario.hang = hang;
    scenario.chaos = {{"beta", 19, 0.25, 0.25, true}, {"alpha", 9, 0.3, 0.3125, false}};
    return scenario;
}

ScenarioResult control_caught_scenario() {
    ScenarioResult scenario;
    scenario.path = "scenarios/seed/no-mutex-control.yaml";
    scenario.name = "no-mutex-control";
    scenario.seed = 2;
    scenario.run_id = "20240501T120002-5e6f";
    scenario.outcome = ScenarioOutcome::control_caught;
    scenario.duration_s = 0.75;
    scenario.events = 30;
    scenario.critical_sections = 30;
    scenario.agents = {agent(1, "alpha", 15), agent(2, "beta", 15)};
    PropertyOutcome exclusion = property("mutual-exclusion", Verdict::fail, Requirement::fail, true,
                                         "1 overlap among 30 critical sections", 30);
    exclusion.result.violations = 1;
    exclusion.result.evidence = {overlap_evidence()};
    scenario.properties = {
        exclusion,
        property("progress", Verdict::pass, Requirement::hold, true, "every agent finished", 2),
    };
    return scenario;
}

ScenarioResult bad_input_scenario() {
    ScenarioResult scenario;
    scenario.path = "scenarios/bad/unknown-key.yaml";
    scenario.outcome = ScenarioOutcome::bad_input;
    scenario.messages = {
        "scenarios/bad/unknown-key.yaml:3:1: error: unknown key 'agnets'; expected one of: "
        "name, agents, properties",
        "scenarios/bad/unknown-key.yaml:9:5: error: 'count' must be at least 1",
    };
    return scenario;
}

void make_hostile(Evidence& evidence) {
    evidence.summary = hostile;
    for (EvidenceEvent& event : evidence.events) {
        event.agent = hostile;
        event.op_label = hostile;
    }
}

void make_hostile(ScenarioResult& scenario) {
    scenario.path = hostile;
    if (!scenario.name.empty()) scenario.name = hostile;
    scenario.run_id = hostile;
    if (!scenario.run_dir.empty()) scenario.run_dir = hostile;
    for (std::string& message : scenario.messages)
        message = hostile;
    for (CaseParameter& parameter : scenario.parameters)
        parameter.value = hostile;
    for (AgentSummary& summary : scenario.agents) {
        summary.name = hostile;
        if (!summary.log_damage.empty()) summary.log_damage = hostile;
    }
    if (scenario.hang) {
        scenario.hang->holder = hostile;
        for (AgentForensics& agent : scenario.hang->agents)
            agent.name = agent.op = hostile;
    }
    for (ChaosAction& action : scenario.chaos)
        action.agent = hostile;
    for (PropertyOutcome& outcome : scenario.properties) {
        outcome.result.detail = hostile;
        for (Evidence& evidence : outcome.result.evidence)
            make_hostile(evidence);
    }
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    if (from.empty()) return text;
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

const std::string hostile = "a&b<c> ]]> \"dq\" 'sq' \x01"
                            " \x1b[31mred \xc2\x9b"
                            "2J \xe2\x80\xae"
                            "rtl \xef\xbf\xbe \xff\xfe"
                            " tab\there\nnewline end";

RunResults sample_results() {
    RunResults results;
    results.tool_version = "0.1.0";
    results.started_utc = "2024-05-01T12:00:00Z";
    results.duration_s = 2.5;
    results.seed = 42;
    results.scenarios = {passed_scenario(), failed_scenario(), control_caught_scenario(),
                         bad_input_scenario()};
    return results;
}

RunResults hostile_results() {
    RunResults results = sample_results();
    results.tool_version = hostile;
    for (ScenarioResult& scenario : results.scenarios)
        make_hostile(scenario);
    return results;
}

std::string blank_volatile(std::string text, const RunResults& results) {
    for (const ScenarioResult& scenario : results.scenarios)
        text = replace_all(std::move(text), scenario.run_id, "[run-id]");
    // One pattern per format's way of writing a start time or a duration.
    const std::pair<std::regex, const char*> volatile_patterns[] = {
        {std::regex(R"#(time="[0-9.]+")#"), R"(time="*")"},
        {std::regex(R"#(timestamp="[^"]*")#"), R"(timestamp="*")"},
        {std::regex(R"#("duration_s": [0-9.eE+-]+)#"), R"("duration_s": "*")"},
        {std::regex(R"#("started": "[^"]*")#"), R"("started": "*")"},
        {std::regex(R"#([0-9]+\.[0-9]{3} s\b)#"), "* s"},
    };
    for (const auto& [pattern, replacement] : volatile_patterns)
        text = std::regex_replace(text, pattern, replacement);
    return text;
}

void check_golden(const std::string& name, const std::string& actual, const RunResults& results) {
    const std::string path = std::string(IPCH_TEST_DATA) + "/golden/" + name;
    const std::string blanked = blank_volatile(actual, results);
    const char* update = std::getenv("IPCH_UPDATE_GOLDEN");
    if (update != nullptr && std::string_view(update) == "1") {
        std::ofstream(path, std::ios::binary) << blanked;
        WARN("rewrote " << path);
        return;
    }
    const std::string expected = read_file(path);
    INFO("golden file " << path << " (IPCH_UPDATE_GOLDEN=1 rewrites it)");
    REQUIRE_FALSE(expected.empty());
    CHECK(blanked == expected);
}

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80         ? 1
                                   : lead >> 5 == 0x6  ? 2
                                   : lead >> 4 == 0xE  ? 3
                                   : lead >> 3 == 0x1E ? 4
                                                       : 0;
        if (length == 0 || i + length > text.size()) return false;
        char32_t value = length == 1 ? lead : lead & (0xFF >> (length + 1));
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if (next >> 6 != 0x2) return false;
            value = (value << 6) | (next & 0x3F);
        }
        constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
        if (value < smallest[length] || value > 0x10FFFF) return false; // overlong, too large
        if (value >= 0xD800 && value <= 0xDFFF) return false;           // surrogate
        i += length;
    }
    return true;
}

std::u32string code_points(std::string_view text) {
    std::u32string points;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        char32_t value = length == 1 ? lead : lead & (0xFF >> (length + 1));
        for (std::size_t k = 1; k < length && i + k < text.size(); ++k)
            value = (value << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        points.push_back(value);
        i += length;
    }
    return points;
}

} // namespace ipch::test
