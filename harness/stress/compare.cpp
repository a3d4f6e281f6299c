#include "stress/compare.hpp"

#include "stress/stress_table.hpp"
#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace ipch::stress {

namespace {

using Json = nlohmann::json;

std::optional<double> number_at(const Json& object, const char* key) {
    if (!object.is_object() || !object.contains(key) || !object[key].is_number())
        return std::nullopt;
    return object[key].get<double>();
}

CaseSample sample_from(const Json& c) {
    CaseSample sample;
    sample.backend = c.at("backend").get<std::string>();
    sample.mapping = c.at("mapping").get<std::string>();
    sample.agents = c.at("agents").get<std::uint32_t>();
    sample.hold_ns = c.at("hold_ns").get<std::uint64_t>();
    sample.payload_bytes = c.at("payload_bytes").get<std::uint64_t>();
    sample.outcome = c.at("outcome").get<std::string>();
    const Json& figures = c.at("figures");
    sample.throughput = number_at(figures, "throughput_per_s");
    if (figures.contains("wait")) sample.wait_p99_ns = number_at(figures["wait"], "p99_ns");
    for (const Json& verdict : c.at("verdicts"))
        sample.verdicts[verdict.at("id").get<std::string>()] =
            verdict.at("verdict").get<std::string>();
    return sample;
}

std::string key_of(const CaseSample& sample) {
    return sample.backend + " agents=" + std::to_string(sample.agents);
}

// What differs between two cases' settings: "hold 0ns -> 2.00us", ... ("" when nothing does).
std::string settings_change(const CaseSample& old_case, const CaseSample& new_case) {
    std::string change;
    const auto note = [&](const std::string& what, const std::string& before,
                          const std::string& after) {
        if (before == after) return;
        change += (change.empty() ? "" : ", ") + what + " " + before + " -> " + after;
    };
    note("hold", format_ns(old_case.hold_ns), format_ns(new_case.hold_ns));
    note("payload", std::to_string(old_case.payload_bytes), std::to_string(new_case.payload_bytes));
    note("mapping", old_case.mapping, new_case.mapping);
    return change;
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::optional<FigureChange> compare_figure(const std::string& figure, bool higher_is_better,
                                           const std::vector<double>& old_values,
                                           const std::vector<double>& new_values,
                                           double threshold_percent) {
    if (old_values.empty() || new_values.empty()) return std::nullopt;
    FigureChange change;
    change.figure = figure;
    change.higher_is_better = higher_is_better;
    change.old_median = median(old_values);
    change.new_median = median(new_values);
    const auto [old_min, old_max] = std::minmax_element(old_values.begin(), old_values.end());
    const auto [new_min, new_max] = std::minmax_element(new_values.begin(), new_values.end());
    change.old_min = *old_min, change.old_max = *old_max;
    change.new_min = *new_min, change.new_max = *new_max;
    const double delta = change.new_median - change.old_median;
    change.percent = change.old_median != 0 ? delta / change.old_median * 100
                     : delta == 0           ? 0
                                  : std::copysign(std::numeric_limits<double>::infinity(), delta);
    // Repeats show how far one configuration wanders: a change counts only when every repeat of
    // NEW lies beyond every repeat of OLD, in the direction of the change (the ranges apart).
    // Comparing the change with each side's width instead let one outlying repeat hide a drop
    // whose ranges did not even touch (4.09 M/s [3.43..7.98] -> 235 k/s [202..244 k]).
    const bool apart =
        delta > 0 ? change.new_min > change.old_max : change.new_max < change.old_min;
    change.counts = std::abs(change.percent) > threshold_percent && apart;
    change.regression = change.counts && (higher_is_better ? delta < 0 : delta > 0);
    return change;
}

// A property's verdict over a case's repeats: the worst one (a fail in any repeat is a fail).
std::map<std::string, std::string> worst_verdicts(const std::vector<const CaseSample*>& samples) {
    const auto rank = [](const std::string& verdict) {
        return verdict == "fail" ? 3 : verdict == "unknown" ? 2 : verdict == "pass" ? 1 : 0;
    };
    std::map<std::string, std::string> worst;
    for (const CaseSample* sample : samples)
        for (const auto& [id, verdict] : sample->verdicts)
            if (!worst.count(id) || rank(verdict) > rank(worst[id])) worst[id] = verdict;
    return worst;
}

std::vector<double> values(const std::vector<const CaseSample*>& samples,
                           std::optional<double> CaseSample::*field) {
    std::vector<double> result;
    for (const CaseSample* sample : samples)
        if (sample->*field) result.push_back(*(sample->*field));
    return result;
}

using Groups = std::map<std::string, std::vector<const CaseSample*>>;

Groups group(const std::vector<CaseSample>& cases) {
    Groups groups;
    for (const CaseSample& sample : cases)
        groups[key_of(sample)].push_back(&sample);
    return groups;
}

CaseComparison compare_case(const std::string& key, const std::vector<const CaseSample*>& old_group,
                            const std::vector<const CaseSample*>& new_group, double threshold) {
    CaseComparison result;
    result.key = key;
    result.old_repeats = old_group.size();
    result.new_repeats = new_group.size();
    result.config_change = settings_change(*old_group.front(), *new_group.front());
    if (auto change = compare_figure("throughput", true, values(old_group, &CaseSample::throughput),
                                     values(new_group, &CaseSample::throughput), threshold))
        result.figures.push_back(*change);
    if (auto change = compare_figure("wait p99", false, values(old_group, &CaseSample::wait_p99_ns),
                                     values(new_group, &CaseSample::wait_p99_ns), threshold))
        result.figures.push_back(*change);
    const auto old_verdicts = worst_verdicts(old_group);
    const auto new_verdicts = worst_verdicts(new_group);
    const auto could_not_run = [](const std::vector<const CaseSample*>& samples) {
        return std::any_of(samples.begin(), samples.end(), [](const CaseSample* sample) {
            return sample->outcome == "could-not-run";
        });
    };
    result.stopped_running = could_not_run(new_group) && !could_not_run(old_group);
    for (const auto& [id, verdict] : new_verdicts) {
        const auto old = old_verdicts.find(id);
        const std::string before = old == old_verdicts.end() ? "absent" : old->second;
        if (before == verdict) continue;
        result.verdict_changes.push_back(id + ": " + before + " -> " + verdict);
        if (verdict == "fail") result.verdict_regression = true;
    }
    return result;
}

std::string figure_text(double value, bool is_time) {
    return is_time ? format_ns(static_cast<std::uint64_t>(std::llround(value)))
                   : format_rate(value) + "/s";
}

std::string side_text(double median_value, double low, double high, bool is_time) {
    return figure_text(median_value, is_time) + " [" + figure_text(low, is_time) + ".." +
           figure_text(high, is_time) + "]";
}

} // namespace

std::variant<std::vector<CaseSample>, std::string> read_samples(std::istream& in) {
    try {
        const Json document = Json::parse(in);
        if (!document.is_object() || document.value("kind", "") != "ipc-harness stress")
            return std::string("not a stress JSON (its \"kind\" is not \"ipc-harness stress\")");
        std::vector<CaseSample> cases;
        for (const Json& c : document.at("cases"))
            cases.push_back(sample_from(c));
        return cases;
    } catch (const Json::parse_error& e) {
        // The library's own text names its internals; a person needs where the JSON broke.
        return "not JSON (it stops parsing at byte " + std::to_string(e.byte) + ")";
    } catch (const Json::exception&) {
        return std::string(
            "not a stress JSON: a case lacks a figure, or has one of the wrong type");
    }
}

bool Comparison::regression() const {
    return std::any_of(cases.begin(), cases.end(), [](const CaseComparison& c) {
        return c.verdict_regression || c.stopped_running ||
               std::any_of(c.figures.begin(), c.figures.end(),
                           [](const FigureChange& f) { return f.regression; });
    });
}

Comparison compare_samples(const std::vector<CaseSample>& old_cases,
                           const std::vector<CaseSample>& new_cases, double threshold_percent) {
    Comparison comparison;
    const Groups old_groups = group(old_cases);
    const Groups new_groups = group(new_cases);
    for (const auto& [key, old_group] : old_groups) {
        const auto match = new_groups.find(key);
        if (match == new_groups.end())
            comparison.only_old.push_back(key);
        else
            comparison.cases.push_back(
                compare_case(key, old_group, match->second, threshold_percent));
    }
    for (const auto& [key, new_group] : new_groups)
        if (!old_groups.count(key)) comparison.only_new.push_back(key);
    return comparison;
}

void write_comparison(std::ostream& out, const Comparison& comparison, double threshold_percent) {
    for (const CaseComparison& c : comparison.cases) {
        out << console_text(c.key) << " (" << c.old_repeats << " -> " << c.new_repeats
            << " repeat(s))"
            << (c.config_change.empty() ? "" : ": " + console_text(c.config_change)) << "\n";
        for (const FigureChange& f : c.figures) {
            const bool is_time = !f.higher_is_better;
            char percent[32];
            std::snprintf(percent, sizeof percent, "%+.1f%%", f.percent);
            out << "  " << f.figure << ": "
                << side_text(f.old_median, f.old_min, f.old_max, is_time) << " -> "
                << side_text(f.new_median, f.new_min, f.new_max, is_time) << "  " << percent << "  "
                << (f.regression ? "REGRESSION"
                    : f.counts   ? "improvement"
                                 : "no change")
                << "\n";
        }
        if (c.stopped_running) out << "  could not run (it ran in OLD)\n";
        for (const std::string& change : c.verdict_changes)
            out << "  verdict " << console_text(change) << "\n";
    }
    for (const std::string& key : comparison.only_old)
        out << console_text(key) << ": only in OLD\n";
    for (const std::string& key : comparison.only_new)
        out << console_text(key) << ": only in NEW\n";
    out << (comparison.regression() ? "regression" : "no regression") << " (threshold "
        << threshold_percent << "%, with the repeats' ranges apart)\n";
}

} // namespace ipch::stress
