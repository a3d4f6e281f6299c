#include "markdown_report.hpp"

#include "forensics_text.hpp"
#include "markdown_text.hpp"
#include "text.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

namespace ipch {

namespace {

// A mark a reader's eye finds in a long table before the words.
std::string_view mark(const OutcomeInfo& info) {
    return info.is_failure ? "\u274c" : "\u2705"; // cross mark, check mark
}

std::string display_name(const ScenarioResult& scenario) {
    return markdown_text(scenario.name.empty() ? scenario.path : scenario.name);
}

bool is_failure(const ScenarioResult& scenario) {
    return outcome_info(scenario.outcome).is_failure;
}

std::size_t count_failures(const RunResults& results) {
    return static_cast<std::size_t>(
        std::count_if(results.scenarios.begin(), results.scenarios.end(), is_failure));
}

// "4 scenarios: 1 passed, 1 failed, ... · 2.500 s · seed 42 · shard 1/2"
std::string totals_line(const RunResults& results) {
    std::string line = plural(results.scenarios.size(), "scenario") + ":";
    const char* separator = " ";
    for (const OutcomeCount& count : count_outcomes(results)) {
        if (count.count == 0) continue;
        line += separator + std::to_string(count.count) + " " + as_words(count.info->name);
        separator = ", ";
    }
    line += " \u00b7 " + format_seconds(results.duration_s) + " s";
    if (results.seed) line += " \u00b7 seed " + std::to_string(*results.seed);
    if (!results.shard.empty()) line += " \u00b7 shard " + results.shard;
    if (results.interrupted())
        line += " \u00b7 **interrupted** by signal " + std::to_string(results.interrupt_signal);
    return line;
}

void write_heading(std::ostream& out, const RunResults& results) {
    const std::size_t failures = count_failures(results);
    const bool red = failures > 0 || results.interrupted();
    out << "## " << (red ? "\u274c" : "\u2705") << " ipc-harness: "
        << (failures > 0 ? std::to_string(failures) + " of " +
                               std::to_string(results.scenarios.size()) + " failed"
            : results.interrupted() ? std::string("interrupted")
                                    : std::string("all passed"))
        << "\n\n"
        << totals_line(results) << "\n\n";
}

std::string property_line(const PropertyOutcome& property) {
    std::string line = "- **" + markdown_text(property.result.id) +
                       "**: " + markdown_text(to_string(property.result.verdict)) + " (" +
                       as_words(to_string(property.requirement));
    if (property.requirement != Requirement::info) line += property.met ? ": met" : ": NOT MET";
    line += ")";
    if (!property.result.detail.empty()) line += " " + markdown_text(property.result.detail);
    return line + "\n";
}

// The evidence, as the console shows it, in a fold: at most `limit` lines.
void write_evidence(std::ostream& out, const PropertyResult& property, std::size_t limit) {
    std::vector<std::string> lines;
    for (const Evidence& evidence : property.evidence) {
        lines.push_back(evidence.summary);
        for (const EvidenceEvent& event : evidence.events)
            lines.push_back("  " + describe_event(event));
    }
    const std::string unshown = unshown_violations(property);
    if (!unshown.empty()) lines.push_back(unshown);
    if (lines.empty()) return;
    std::string text;
    for (std::size_t i = 0; i < lines.size() && i < limit; ++i)
        text += lines[i] + "\n";
    if (lines.size() > limit)
        text += "... " + std::to_string(lines.size() - limit) + " more line(s): see the JSON\n";
    out << "\n<details><summary>evidence</summary>\n\n"
        << markdown_code_block(text) << "\n</details>\n\n";
}

void write_failure(std::ostream& out, const ScenarioResult& scenario,
                   const MarkdownLimits& limits) {
    out << "#### " << mark(outcome_info(scenario.outcome)) << " "
        << outcome_info(scenario.outcome).label << ": " << display_name(scenario) << "\n\n";
    std::string where;
    if (!scenario.name.empty() && scenario.name != scenario.path)
        where = "File " + markdown_text(scenario.path);
    if (!scenario.run_dir.empty())
        where += (where.empty() ? "Run directory " : "; run directory ") +
                 markdown_text(scenario.run_dir);
    if (!where.empty()) out << where << "\n\n";
    std::string notes;
    for (const std::string& message : scenario.messages)
        notes += message + "\n";
    for (const std::string& line : run_notes(scenario))
        notes += line + "\n";
    if (!notes.empty()) out << markdown_code_block(notes) << "\n";
    for (const PropertyOutcome& property : scenario.properties) {
        if (property.met) continue;
        out << property_line(property);
        write_evidence(out, property.result, limits.evidence_lines);
    }
    for (const RequirementResult& requirement : scenario.requirements)
        if (!requirement.met)
            out << "- **" << markdown_text(requirement.name)
                << "**: " << markdown_text(requirement.detail) << " (NOT MET)\n";
    out << "\n";
}

void write_failures(std::ostream& out, const RunResults& results, const MarkdownLimits& limits) {
    const std::size_t failures = count_failures(results);
    if (failures == 0) return;
    out << "### Failures\n\n";
    std::size_t shown = 0;
    std::vector<std::string> unshown;
    for (const ScenarioResult& scenario : results.scenarios) {
        if (!is_failure(scenario)) continue;
        if (shown++ < limits.failures)
            write_failure(out, scenario, limits);
        else
            unshown.push_back(display_name(scenario));
    }
    if (unshown.empty()) return;
    out << unshown.size() << " more failure(s), without their evidence here:";
    for (const std::string& name : unshown)
        out << "\n- " << name;
    out << "\n\n";
}

void write_row(std::ostream& out, const ScenarioResult& scenario) {
    const OutcomeInfo& info = outcome_info(scenario.outcome);
    out << "| " << mark(info) << " " << info.label << " | " << display_name(scenario) << " | ";
    if (scenario.outcome == ScenarioOutcome::bad_input)
        out << " | | |\n"; // it ran nothing
    else
        out << format_seconds(scenario.duration_s) << " s | " << scenario.agents.size() << " | "
            << scenario.events << " |\n";
}

// Every scenario, or past the limit the failing ones only (they are what a reader looks for).
void write_table(std::ostream& out, const RunResults& results, const MarkdownLimits& limits) {
    if (results.scenarios.empty()) return;
    const bool all = results.scenarios.size() <= limits.table_rows;
    out << "### Scenarios\n\n";
    if (!all)
        out << "The failing ones of " << results.scenarios.size()
            << " (the JUnit and JSON reports list all):\n\n";
    out << "| Result | Scenario | Time | Agents | Events |\n|---|---|--:|--:|--:|\n";
    std::size_t rows = 0;
    for (const ScenarioResult& scenario : results.scenarios) {
        if (!all && !is_failure(scenario)) continue;
        if (rows++ == limits.table_rows) {
            out << "| | ... and more | | | |\n";
            break;
        }
        write_row(out, scenario);
    }
    out << "\n";
}

} // namespace

void write_markdown_report(std::ostream& out, const RunResults& results,
                           const MarkdownLimits& limits) {
    write_heading(out, results);
    write_failures(out, results, limits);
    write_table(out, results, limits);
    out << "<sub>ipc-harness " << markdown_text(results.tool_version) << "</sub>\n";
}

} // namespace ipch
