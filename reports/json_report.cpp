#include "json_report.hpp"

#include "text.hpp"

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <regex>
#include <string>

namespace ipch {

namespace {

// ordered_json keeps keys in the order written, so the document reads like its description.
using Json = nlohmann::ordered_json;

Json text_array(const std::vector<std::string>& lines) {
    Json array = Json::array();
    for (const std::string& line : lines)
        array.push_back(json_text(line));
    return array;
}

// The message an event wrote or observed; null when it names none.
Json message_json(const EventRecord& record) {
    const bool has_message = record.msg_writer != 0 ||
                             (record.flags & (event_flag::observed | event_flag::written)) != 0;
    if (!has_message) return nullptr;
    return Json{{"writer", record.msg_writer},
                {"writer_seq", record.msg_writer_seq},
                {"length", record.msg_length},
                {"checksum", format_hex64(record.msg_checksum)}};
}

Json event_json(const EvidenceEvent& event) {
    const EventRecord& record = event.event;
    return Json{
        {"agent_id", event.agent_id},
        {"agent", json_text(event.agent)},
        {"op", json_text(event.op_label)},
        {"op_id", record.op_id},
        {"index", event.index},
        {"kind", to_string(record.kind)},
        {"outcome", to_string(record.outcome)},
        {"seq", record.seq},
        {"attempt", record.attempt},
        {"stamp", record.stamp},
        {"t_requested_ns", record.t_requested},
        {"t_acquired_ns", record.t_acquired},
        {"t_released_ns", record.t_released},
        {"flags", event_flag_names(record.flags)},
        {"message", message_json(record)},
        {"computed_checksum", format_hex64(record.computed_checksum)},
        {"error", record.error},
        // The owner word found at acquire: the run's salt (high 16 bits), the holder's id.
        {"owner_seen", record.owner_seen},
    };
}

Json evidence_json(const Evidence& evidence) {
    Json events = Json::array();
    for (const EvidenceEvent& event : evidence.events)
        events.push_back(event_json(event));
    return Json{{"summary", json_text(evidence.summary)}, {"events", std::move(events)}};
}

Json property_json(const PropertyOutcome& property) {
    const PropertyResult& result = property.result;
    Json evidence = Json::array();
    for (const Evidence& item : result.evidence)
        evidence.push_back(evidence_json(item));
    return Json{
        {"id", json_text(result.id)},
        {"verdict", json_text(to_string(result.verdict))},
        {"requirement", to_string(property.requirement)},
        {"met", property.met},
        {"detail", json_text(result.detail)},
        {"checked", result.checked},
        {"violations", result.violations},
        {"evidence", std::move(evidence)},
    };
}

// A threshold, expected crash or expected error. limit and value are a threshold's, in `unit`
// (null for the others, and value null when the run measured nothing).
Json requirement_json(const RequirementResult& requirement) {
    const auto number = [](std::optional<double> value) -> Json {
        if (!value) return nullptr;
        return *value;
    };
    return Json{
        {"kind", to_string(requirement.kind)},
        {"name", json_text(requirement.name)},
        {"limit", number(requirement.limit)},
        {"value", number(requirement.value)},
        {"unit", requirement.unit},
        {"met", requirement.met},
        {"detail", json_text(requirement.detail)},
    };
}

Json requirements_json(const ScenarioResult& scenario) {
    Json requirements = Json::array();
    for (const RequirementResult& requirement : scenario.requirements)
        requirements.push_back(requirement_json(requirement));
    return requirements;
}

Json agent_json(const AgentSummary& agent) {
    return Json{
        {"id", agent.agent_id},
        {"name", json_text(agent.name)},
        {"end", json_text(to_string(agent.end))},
        {"exit_code", agent.exit_code},
        {"signal", agent.signal},
        {"events", agent.events},
        {"log_damage", json_text(agent.log_damage)},
    };
}

// A seed as a decimal string: like checksums, 64-bit seeds do not survive a JSON number in
// JavaScript. null when there is none (a file that did not load).
Json seed_json(const std::optional<std::uint64_t>& seed) {
    if (!seed) return nullptr;
    return std::to_string(*seed);
}

// A value written plain that YAML reads as a number or a bool is one in JSON too, so that tools
// can plot a case's figures against it; anything else (quoted, or text) is a string.
Json parameter_value_json(const CaseParameter& parameter) {
    const std::string& text = parameter.value;
    if (!parameter.quoted) {
        if (text == "true" || text == "false") return text == "true";
        static const std::regex integer(R"(-?(0|[1-9][0-9]{0,17}))");
        // A fraction or an exponent: integers too long for 64 bits stay strings, not doubles.
        static const std::regex decimal(
            R"(-?(0|[1-9][0-9]*)((\.[0-9]+)([eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+))");
        if (std::regex_match(text, integer)) return std::stoll(text);
        if (std::regex_match(text, decimal)) {
            const double value = std::strtod(text.c_str(), nullptr);
            if (std::isfinite(value)) return value;
        }
    }
    return json_text(text);
}

Json parameters_json(const std::vector<CaseParameter>& parameters) {
    Json object = Json::object();
    for (const CaseParameter& parameter : parameters)
        object[json_text(parameter.name)] = parameter_value_json(parameter);
    return object;
}

Json hang_json(const std::optional<HangForensics>& hang) {
    if (!hang) return nullptr;
    Json agents = Json::array();
    for (const AgentForensics& agent : hang->agents)
        agents.push_back(Json{{"name", json_text(agent.name)},
                              {"state", json_text(agent.state)},
                              {"op", json_text(agent.op)},
                              {"last_event", json_text(agent.last_event)},
                              {"waiting_s", agent.waiting_s},
                              {"process", json_text(agent.process)},
                              {"alive", agent.alive}});
    return Json{{"timeout_s", hang->timeout_s},
                {"owner_word", json_text(hang->owner_word)},
                {"holder", hang->holder.empty() ? Json(nullptr) : Json(json_text(hang->holder))},
                {"holder_from", json_text(hang->holder_from)},
                {"holder_alive", hang->holder_alive ? Json(*hang->holder_alive) : Json(nullptr)},
                {"agents", std::move(agents)}};
}

Json chaos_json(const std::vector<ChaosAction>& chaos) {
    Json actions = Json::array();
    for (const ChaosAction& action : chaos)
        actions.push_back(Json{{"agent", json_text(action.agent)},
                               {"signal", action.signal},
                               {"due_s", action.due_s},
                               {"at_s", action.at_s},
                               {"inside_lock", action.inside_lock}});
    return actions;
}

// Which clock the case's times came from, why, and how far off they may be (docs/reports.md).
Json clock_json(const std::optional<CaseClock>& clock) {
    if (!clock) return nullptr;
    return Json{{"source", clock_text(*clock)},
                {"reason", json_text(clock_reason(*clock))},
                {"tsc_agents", clock->tsc_agents},
                {"monotonic_agents", clock->monotonic_agents},
                {"fallback", clock->fallback.empty() ? Json(nullptr) : Json(clock->fallback)},
                {"max_drift_ns", clock->max_drift_ns},
                {"max_error_ns", clock->max_error_ns},
                {"tsc_khz", clock->tsc_khz == 0 ? Json(nullptr) : Json(clock->tsc_khz)},
                {"disagreed", clock->disagreed}};
}

Json distribution_json(const std::optional<DistributionSummary>& d) {
    if (!d) return nullptr;
    return Json{{"count", d->count},   {"p50_ns", d->p50_ns},     {"p90_ns", d->p90_ns},
                {"p99_ns", d->p99_ns}, {"p99_9_ns", d->p99_9_ns}, {"max_ns", d->max_ns}};
}

template <typename T>
Json optional_json(const std::optional<T>& value) {
    return value ? Json(*value) : Json(nullptr);
}

// A `kind: stress` case's figures, as `ipc-harness stress`'s JSON names them (docs/stress.md).
Json stress_json(const std::optional<StressSummary>& stress) {
    if (!stress) return nullptr;
    return Json{{"backend", json_text(stress->backend)},
                {"agents", stress->agents},
                {"repeat", stress->repeat},
                {"timing", json_text(stress->timing)},
                {"acquisitions", stress->acquisitions},
                {"stamped", stress->stamped},
                {"per_agent", stress->per_agent},
                {"throughput_per_s", optional_json(stress->throughput_per_s)},
                {"jain_index", optional_json(stress->jain_index)},
                {"wait", distribution_json(stress->wait)},
                {"hold", distribution_json(stress->hold)},
                {"handoff", distribution_json(stress->handoff)},
                {"longest_run", optional_json(stress->longest_run)},
                {"longest_wait_ns", stress->longest_wait_ns}};
}

Json scenario_json(const ScenarioResult& scenario) {
    const OutcomeInfo& info = outcome_info(scenario.outcome);
    Json agents = Json::array();
    for (const AgentSummary& agent : scenario.agents)
        agents.push_back(agent_json(agent));
    Json properties = Json::array();
    for (const PropertyOutcome& property : scenario.properties)
        properties.push_back(property_json(property));
    return Json{
        {"path", json_text(scenario.path)},
        {"name", json_text(scenario.name)},
        {"parameters", parameters_json(scenario.parameters)},
        {"seed", seed_json(scenario.seed)},
        {"run_id", json_text(scenario.run_id)},
        {"started", json_text(scenario.started_utc)},
        {"run_dir", json_text(scenario.run_dir)},
        {"outcome", info.name},
        {"is_failure", info.is_failure},
        {"messages", text_array(scenario.messages)},
        {"duration_s", scenario.duration_s},
        {"events", scenario.events},
        {"critical_sections", scenario.critical_sections},
        {"agents", std::move(agents)},
        {"properties", std::move(properties)},
        {"requirements", requirements_json(scenario)},
        {"hang", hang_json(scenario.hang)},
        {"chaos", chaos_json(scenario.chaos)},
        {"clock", clock_json(scenario.clock)},
        {"stress", stress_json(scenario.stress)},
    };
}

// Every outcome of the table, zeros included, so a reader never has to guess a missing key.
Json summary_json(const RunResults& results) {
    Json summary = Json::object();
    for (const OutcomeCount& count : count_outcomes(results))
        summary[std::string(count.info->name)] = count.count;
    return summary;
}

} // namespace

void write_json_report(std::ostream& out, const RunResults& results) {
    Json scenarios = Json::array();
    for (const ScenarioResult& scenario : results.scenarios)
        scenarios.push_back(scenario_json(scenario));
    const Json document{
        {"schema_version", json_report_schema_version},
        {"tool", {{"name", "ipc-harness"}, {"version", json_text(results.tool_version)}}},
        {"started", json_text(results.started_utc)},
        {"seed", seed_json(results.seed)},
        // "K/N" when --shard ran a slice of the cases: the summary counts that slice only.
        {"shard", results.shard.empty() ? Json(nullptr) : Json(results.shard)},
        {"duration_s", results.duration_s},
        {"interrupted", results.interrupted()},
        {"exit_code", exit_code_for(results)},
        {"summary", summary_json(results)},
        {"scenarios", std::move(scenarios)},
    };
    // Every string was sanitised above; `replace` is the second guard, so that a string we
    // missed costs a U+FFFD instead of an exception in the middle of a report.
    out << document.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
}

} // namespace ipch
