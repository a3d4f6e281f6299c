#include "console_report.hpp"

#include "forensics_text.hpp"
#include "text.hpp"

#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>

namespace ipch {

namespace {

enum class Colour { red, green };

// ANSI colour when enabled, plain text otherwise. Only our own constant text is painted; what it
// wraps has been sanitised already.
class Painter {
  public:
    explicit Painter(bool enabled) : enabled_(enabled) {}

    std::string operator()(std::string_view text, Colour colour) const {
        if (!enabled_) return std::string(text);
        return std::string(code(colour)) + std::string(text) + "\x1b[0m";
    }

  private:
    static std::string_view code(Colour colour) {
        switch (colour) {
        case Colour::red:
            return "\x1b[31m";
        case Colour::green:
            return "\x1b[32m";
        }
        return "";
    }

    bool enabled_;
};

std::string outcome_label(const OutcomeInfo& info, const Painter& paint) {
    return paint(info.label, info.is_failure ? Colour::red : Colour::green);
}

// A scenario that failed to load may have no name yet; its path identifies it then.
std::string display_name(const ScenarioResult& scenario) {
    return console_text(scenario.name.empty() ? scenario.path : scenario.name);
}

void write_scenario_line(std::ostream& out, const ScenarioResult& scenario, const Painter& paint) {
    out << outcome_label(outcome_info(scenario.outcome), paint) << ": " << display_name(scenario);
    // A file that did not load ran nothing: zero agents and events would only be noise.
    if (scenario.outcome == ScenarioOutcome::bad_input) {
        out << "\n";
        return;
    }
    out << " (" << format_seconds(scenario.duration_s) << " s, "
        << plural(scenario.agents.size(), "agent") << ", " << plural(scenario.events, "event")
        << ", " << plural(scenario.critical_sections, "critical section");
    // Which clock the times came from and how far off they may be; the reason with -v.
    if (scenario.clock)
        out << ", clock " << clock_text(*scenario.clock)
            << " error <= " << scenario.clock->max_error_ns << " ns";
    out << ")\n";
}

// A stress case's figures: "  stress: 1234567 acquisitions, 6.17M/s, wait p50 .. max, jain".
void write_stress_line(std::ostream& out, const StressSummary& stress) {
    const auto wait = [&](std::uint64_t DistributionSummary::*figure) {
        return format_ns(stress.wait ? std::optional(*stress.wait.*figure) : std::nullopt);
    };
    out << "  stress: " << stress.acquisitions << " acquisitions, "
        << format_rate(stress.throughput_per_s) << "/s, wait p50 "
        << wait(&DistributionSummary::p50_ns) << " p99 " << wait(&DistributionSummary::p99_ns)
        << " max " << wait(&DistributionSummary::max_ns) << ", jain "
        << format_ratio(stress.jain_index) << " (" << console_text(stress.timing) << ")\n";
}

void write_property_line(std::ostream& out, const PropertyOutcome& property, const Painter& paint) {
    out << "  - " << console_text(property.result.id) << ": "
        << console_text(to_string(property.result.verdict)) << " ("
        << as_words(to_string(property.requirement));
    if (property.requirement != Requirement::info)
        out << ": " << (property.met ? "met" : paint("NOT MET", Colour::red));
    out << ")";
    if (!property.result.detail.empty()) out << " " << console_text(property.result.detail);
    out << "\n";
}

// A threshold, expected crash or expected error: "  - min_throughput: measured ... (met)".
void write_requirement_line(std::ostream& out, const RequirementResult& requirement,
                            const Painter& paint) {
    out << "  - " << console_text(requirement.name) << ": " << console_text(requirement.detail)
        << " (" << (requirement.met ? "met" : paint("NOT MET", Colour::red)) << ")\n";
}

// The run's messages, then a timeout's forensics and the chaos signals sent.
void write_messages(std::ostream& out, const ScenarioResult& scenario) {
    for (const std::string& message : scenario.messages)
        out << "  " << console_text(message) << "\n";
    for (const std::string& line : run_notes(scenario))
        out << "  " << console_text(line) << "\n";
}

void write_scenario(std::ostream& out, const ScenarioResult& scenario,
                    const ConsoleOptions& options, const Painter& paint) {
    write_scenario_line(out, scenario, paint);
    if (scenario.stress) write_stress_line(out, *scenario.stress);
    if (!options.verbose && !outcome_info(scenario.outcome).is_failure) return;
    if (scenario.clock) out << "  clock: " << console_text(clock_summary(*scenario.clock)) << "\n";
    write_messages(out, scenario);
    for (const PropertyOutcome& property : scenario.properties)
        write_property_line(out, property, paint);
    for (const RequirementResult& requirement : scenario.requirements)
        write_requirement_line(out, requirement, paint);
}

// Agents worth a line in a failure: those that did not simply finish, or left a damaged log.
void write_agent_problems(std::ostream& out, const ScenarioResult& scenario) {
    for (const AgentSummary& agent : scenario.agents) {
        if (agent.end == AgentEnd::finished && agent.log_damage.empty()) continue;
        out << "  agent " << agent.agent_id << " " << console_text(agent.name) << ": "
            << console_text(as_words(to_string(agent.end)));
        if (agent.exit_code != 0) out << ", exit code " << agent.exit_code;
        if (agent.signal != 0) out << ", signal " << agent.signal;
        if (!agent.log_damage.empty()) out << ", event log: " << console_text(agent.log_damage);
        out << "\n";
    }
}

void write_evidence(std::ostream& out, const PropertyResult& property) {
    for (const Evidence& evidence : property.evidence) {
        out << "    " << console_text(evidence.summary) << "\n";
        for (const EvidenceEvent& event : evidence.events)
            out << "      " << console_text(describe_event(event)) << "\n";
    }
    const std::string unshown = unshown_violations(property);
    if (!unshown.empty()) out << "    " << unshown << "\n";
}

void write_failure(std::ostream& out, const ScenarioResult& scenario, const Painter& paint) {
    out << outcome_label(outcome_info(scenario.outcome), paint) << ": " << display_name(scenario);
    if (!scenario.name.empty()) out << " (" << console_text(scenario.path) << ")";
    out << "\n";
    if (!scenario.run_dir.empty()) out << "  run dir: " << console_text(scenario.run_dir) << "\n";
    if (scenario.clock) out << "  clock: " << console_text(clock_summary(*scenario.clock)) << "\n";
    write_messages(out, scenario);
    write_agent_problems(out, scenario);
    for (const PropertyOutcome& property : scenario.properties) {
        if (property.met) continue;
        write_property_line(out, property, paint);
        write_evidence(out, property.result);
    }
    for (const RequirementResult& requirement : scenario.requirements)
        if (!requirement.met) write_requirement_line(out, requirement, paint);
}

std::size_t count_failures(const RunResults& results) {
    std::size_t failures = 0;
    for (const ScenarioResult& scenario : results.scenarios)
        if (outcome_info(scenario.outcome).is_failure) ++failures;
    return failures;
}

void write_failures(std::ostream& out, const RunResults& results, const Painter& paint) {
    out << "Failures (" << count_failures(results) << "):\n";
    for (const ScenarioResult& scenario : results.scenarios)
        if (outcome_info(scenario.outcome).is_failure) write_failure(out, scenario, paint);
}

// The outcomes every run mentions, even at zero, so the line always reads the same way.
bool always_counted(ScenarioOutcome outcome) {
    return outcome == ScenarioOutcome::passed || outcome == ScenarioOutcome::control_caught ||
           outcome == ScenarioOutcome::failed;
}

void write_totals(std::ostream& out, const RunResults& results, const Painter& paint) {
    std::string line = plural(results.scenarios.size(), "scenario") + ":";
    bool any_failure = false;
    const char* separator = " ";
    for (const OutcomeCount& count : count_outcomes(results)) {
        if (count.info->is_failure && count.count > 0) any_failure = true;
        if (count.count == 0 && !always_counted(count.info->outcome)) continue;
        line += separator + std::to_string(count.count) + " " + as_words(count.info->name);
        separator = ", ";
    }
    line += " (" + format_seconds(results.duration_s) + " s";
    if (results.seed) line += ", seed " + std::to_string(*results.seed);
    line += ")";
    if (results.interrupted()) line += ", interrupted";
    out << paint(line, any_failure || results.interrupted() ? Colour::red : Colour::green) << "\n";
}

} // namespace

bool use_color(bool is_terminal, const char* no_color) {
    return is_terminal && (no_color == nullptr || *no_color == '\0');
}

void write_console_report(std::ostream& out, const RunResults& results,
                          const ConsoleOptions& options) {
    const Painter paint(options.color);
    const bool list_scenarios = !options.quiet && !results.scenarios.empty();
    const bool list_failures = count_failures(results) > 0;
    if (list_scenarios)
        for (const ScenarioResult& scenario : results.scenarios)
            write_scenario(out, scenario, options, paint);
    if (list_failures) {
        if (list_scenarios) out << "\n"; // a blank line between sections, never before the first
        write_failures(out, results, paint);
    }
    if (list_scenarios || list_failures) out << "\n";
    write_totals(out, results, paint);
}

} // namespace ipch
