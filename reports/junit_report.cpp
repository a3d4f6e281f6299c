#include "junit_report.hpp"

#include "forensics_text.hpp"
#include "junit_writer.hpp"
#include "text.hpp"

#include <cctype>
#include <ostream>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace ipch {

namespace {

using junit::add_attribute;
using junit::add_time;
using junit::Counts;
using junit::set_text;

// The Ant JUnit schema's timestamp is an ISO 8601 date-time without zone or fraction
// ("2024-05-01T12:00:00"); started_utc is UTC, so dropping the "Z" loses nothing. Empty when
// the value does not start that way.
std::string junit_timestamp(std::string_view iso) {
    constexpr std::string_view pattern = "dddd-dd-ddTdd:dd:dd";
    if (iso.size() < pattern.size()) return "";
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const bool digit = std::isdigit(static_cast<unsigned char>(iso[i])) != 0;
        if (pattern[i] == 'd' ? !digit : iso[i] != pattern[i]) return "";
    }
    return std::string(iso.substr(0, pattern.size()));
}

std::string display_name(const ScenarioResult& scenario) {
    return scenario.name.empty() ? scenario.path : scenario.name;
}

// The evidence as a text body: each summary, its events indented under it.
std::string evidence_text(const PropertyResult& property) {
    std::string text;
    for (const Evidence& evidence : property.evidence) {
        text += evidence.summary + "\n";
        for (const EvidenceEvent& event : evidence.events)
            text += "  " + describe_event(event) + "\n";
    }
    const std::string unshown = unshown_violations(property);
    if (!unshown.empty()) text += unshown + "\n";
    return text;
}

std::string verdict_and_detail(const PropertyResult& result) {
    std::string text(to_string(result.verdict));
    if (!result.detail.empty()) text += ": " + result.detail;
    return text;
}

pugi::xml_node add_testcase(pugi::xml_node suite, const ScenarioResult& scenario,
                            std::string_view name, Counts& counts) {
    pugi::xml_node testcase = suite.append_child("testcase");
    add_attribute(testcase, "classname", "ipc-harness." + display_name(scenario));
    add_attribute(testcase, "name", name);
    // Properties are judged after the run, all at once: the run's time belongs to the suite.
    add_time(testcase, 0);
    ++counts.tests;
    return testcase;
}

void add_unmet(pugi::xml_node testcase, const PropertyOutcome& property, Counts& counts) {
    const PropertyResult& result = property.result;
    std::string message = verdict_and_detail(result);
    if (property.requirement == Requirement::fail)
        message = "expected this property to fail (a negative control), but got " + message;
    pugi::xml_node failure = testcase.append_child("failure");
    add_attribute(failure, "message", message);
    add_attribute(failure, "type", result.id);
    set_text(failure, evidence_text(result));
    ++counts.failures;
}

void add_met(pugi::xml_node testcase, const PropertyOutcome& property, Counts& counts) {
    const PropertyResult& result = property.result;
    if (property.requirement == Requirement::info && result.verdict == Verdict::not_applicable) {
        add_attribute(testcase.append_child("skipped"), "message", result.detail);
        ++counts.skipped;
        return;
    }
    std::string out;
    if (property.requirement == Requirement::fail)
        out =
            "expected failure caught: " + verdict_and_detail(result) + "\n" + evidence_text(result);
    else if (!result.detail.empty())
        out = verdict_and_detail(result) + "\n";
    if (!out.empty()) set_text(testcase.append_child("system-out"), out);
}

void add_property_testcase(pugi::xml_node suite, const ScenarioResult& scenario,
                           const PropertyOutcome& property, Counts& counts) {
    pugi::xml_node testcase = add_testcase(suite, scenario, property.result.id, counts);
    if (property.met)
        add_met(testcase, property, counts);
    else
        add_unmet(testcase, property, counts);
}

// A threshold, expected crash or expected error: a testcase of its own, like a property, named
// by the requirement ("min_throughput", "expected crash: victim"); unmet, a <failure> whose
// message says what was measured or seen against what was expected.
void add_requirement_testcase(pugi::xml_node suite, const ScenarioResult& scenario,
                              const RequirementResult& requirement, Counts& counts) {
    pugi::xml_node testcase = add_testcase(suite, scenario, requirement.name, counts);
    if (requirement.met) {
        set_text(testcase.append_child("system-out"), requirement.detail + "\n");
        return;
    }
    pugi::xml_node failure = testcase.append_child("failure");
    add_attribute(failure, "message", requirement.detail);
    add_attribute(failure, "type", to_string(requirement.kind));
    set_text(failure, requirement.detail + "\n");
    ++counts.failures;
}

std::string joined_messages(const ScenarioResult& scenario) {
    std::string text;
    for (const std::string& message : scenario.messages)
        text += message + "\n";
    return text;
}

std::string first_message(const ScenarioResult& scenario) {
    const OutcomeInfo& info = outcome_info(scenario.outcome);
    return scenario.messages.empty() ? std::string(info.label) : scenario.messages.front();
}

// A scenario that could not be loaded or run: one test case holding an <error>.
void add_error_testcase(pugi::xml_node suite, const ScenarioResult& scenario, Counts& counts) {
    const bool load = scenario.outcome == ScenarioOutcome::bad_input;
    pugi::xml_node error =
        add_testcase(suite, scenario, load ? "load" : "run", counts).append_child("error");
    add_attribute(error, "message", first_message(scenario));
    add_attribute(error, "type", outcome_info(scenario.outcome).name);
    set_text(error, joined_messages(scenario));
    ++counts.errors;
}

// A failing scenario whose test cases all passed (say, it failed for a reason no property
// names) would show green in CI; one more test case keeps the failure visible.
void add_unexplained_failure(pugi::xml_node suite, const ScenarioResult& scenario, Counts& counts) {
    pugi::xml_node failure = add_testcase(suite, scenario, "run", counts).append_child("failure");
    add_attribute(failure, "message", first_message(scenario));
    add_attribute(failure, "type", outcome_info(scenario.outcome).name);
    set_text(failure, joined_messages(scenario));
    ++counts.failures;
}

void add_property(pugi::xml_node properties, const char* name, std::string_view value) {
    pugi::xml_node property = properties.append_child("property");
    add_attribute(property, "name", name);
    add_attribute(property, "value", value);
}

// A stress case's headline figures, for CI dashboards that plot JUnit properties.
void add_stress_properties(pugi::xml_node properties, const StressSummary& stress) {
    add_property(properties, "stress.backend", stress.backend);
    add_property(properties, "stress.agents", std::to_string(stress.agents));
    add_property(properties, "stress.repeat", std::to_string(stress.repeat));
    add_property(properties, "stress.timing", stress.timing);
    add_property(properties, "stress.acquisitions", std::to_string(stress.acquisitions));
    if (stress.throughput_per_s)
        add_property(properties, "stress.throughput_per_s",
                     std::to_string(static_cast<std::uint64_t>(*stress.throughput_per_s)));
    if (stress.wait) {
        add_property(properties, "stress.wait_p99_ns", std::to_string(stress.wait->p99_ns));
        add_property(properties, "stress.wait_max_ns", std::to_string(stress.wait->max_ns));
    }
}

void add_suite_properties(pugi::xml_node suite, const ScenarioResult& scenario,
                          const RunResults& results) {
    pugi::xml_node properties = suite.append_child("properties");
    add_property(properties, "run_id", scenario.run_id);
    add_property(properties, "path", scenario.path);
    add_property(properties, "run_dir", scenario.run_dir);
    // The invocation's seed is what --seed takes to repeat the case; the case's own derives
    // from it and the case's name.
    if (results.seed) add_property(properties, "seed", std::to_string(*results.seed));
    if (scenario.seed) add_property(properties, "case_seed", std::to_string(*scenario.seed));
    for (const CaseParameter& parameter : scenario.parameters)
        add_property(properties, ("parameter." + parameter.name).c_str(), parameter.value);
    if (!results.shard.empty()) add_property(properties, "shard", results.shard);
    if (results.interrupted()) add_property(properties, "interrupted", "true");
    if (scenario.clock) {
        add_property(properties, "clock", clock_text(*scenario.clock));
        add_property(properties, "clock.reason", clock_reason(*scenario.clock));
        add_property(properties, "clock.error_ns", std::to_string(scenario.clock->max_error_ns));
    }
    if (scenario.stress) add_stress_properties(properties, *scenario.stress);
}

void add_test_cases(pugi::xml_node suite, const ScenarioResult& scenario, Counts& counts) {
    const bool errored = scenario.outcome == ScenarioOutcome::bad_input ||
                         scenario.outcome == ScenarioOutcome::harness_error;
    if (errored) add_error_testcase(suite, scenario, counts);
    for (const PropertyOutcome& property : scenario.properties)
        add_property_testcase(suite, scenario, property, counts);
    for (const RequirementResult& requirement : scenario.requirements)
        add_requirement_testcase(suite, scenario, requirement, counts);
    if (outcome_info(scenario.outcome).is_failure && counts.failures == 0 && counts.errors == 0)
        add_unexplained_failure(suite, scenario, counts);
}

Counts add_suite(pugi::xml_node root, const ScenarioResult& scenario, const RunResults& results) {
    pugi::xml_node suite = root.append_child("testsuite");
    add_attribute(suite, "name", display_name(scenario));
    junit::add_count_placeholders(suite, true);
    add_time(suite, scenario.duration_s);
    // Each suite starts when its scenario's run did; results made without one (tests, a bad
    // file) take the whole run's start.
    const std::string timestamp =
        junit_timestamp(scenario.started_utc.empty() ? results.started_utc : scenario.started_utc);
    if (!timestamp.empty()) add_attribute(suite, "timestamp", timestamp);
    add_suite_properties(suite, scenario, results);

    Counts counts;
    add_test_cases(suite, scenario, counts);
    // A timeout's forensics and the chaos signals concern the run, not one property: the suite's
    // own output, after its test cases as the schema orders them.
    std::string notes;
    for (const std::string& line : run_notes(scenario))
        notes += line + "\n";
    if (!notes.empty()) set_text(suite.append_child("system-out"), notes);
    junit::set_counts(suite, counts, true);
    return counts;
}

} // namespace

void write_junit_report(std::ostream& out, const RunResults& results) {
    pugi::xml_document document;
    pugi::xml_node root = junit::start_document(document, "ipc-harness");
    junit::add_count_placeholders(root, false);
    add_time(root, results.duration_s);

    Counts totals;
    for (const ScenarioResult& scenario : results.scenarios)
        totals += add_suite(root, scenario, results);
    junit::set_counts(root, totals, false);
    junit::save(document, out);
}

} // namespace ipch
