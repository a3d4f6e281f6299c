// Comparing two sweeps: verdict changes and performance changes per case, noise-aware
// (docs/stress.md, "compare"). Pure: samples in, changes out.
#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

namespace ipch::stress {

// One case of a stress JSON, as compare needs it.
struct CaseSample {
    std::string backend;
    std::string mapping;
    std::uint32_t agents = 0;
    std::uint64_t hold_ns = 0;
    std::uint64_t payload_bytes = 0;
    std::string outcome; // "ok", "fail" or "could-not-run"
    std::optional<double> throughput;
    std::optional<double> wait_p99_ns;
    std::map<std::string, std::string> verdicts; // property id -> verdict
};

// The cases of a stress JSON document, or what is wrong with it.
std::variant<std::vector<CaseSample>, std::string> read_samples(std::istream& in);

// One figure of one case on both sides: the median of the repeats and their spread.
struct FigureChange {
    std::string figure; // "throughput" or "wait p99"
    bool higher_is_better = true;
    double old_median = 0, old_min = 0, old_max = 0;
    double new_median = 0, new_min = 0, new_max = 0;
    double percent = 0;      // (new - old) / old, in %
    bool counts = false;     // beyond the threshold, the repeats' ranges apart
    bool regression = false; // counts, and for the worse
};

struct CaseComparison {
    std::string key; // "named_mutex agents=2"
    std::size_t old_repeats = 0, new_repeats = 0;
    std::string config_change; // "hold 0ns -> 2.00us": the sweeps' settings differ; else empty
    std::vector<FigureChange> figures;
    std::vector<std::string> verdict_changes; // "mutual-exclusion: pass -> fail"
    bool verdict_regression = false;          // something that held fails now
    // Some repeat in NEW could not run, none in OLD: it has no figures or verdicts to compare.
    bool stopped_running = false;
};

struct Comparison {
    std::vector<CaseComparison> cases;
    std::vector<std::string> only_old, only_new;
    bool regression() const;
};

// Matches cases by backend and agent count; a difference of hold, payload or mapping between the
// matched cases is reported as what changed (a sweep has one of each, and comparing a sweep with
// a held lock to one without is how a slower lock is shown). A change counts only when the
// medians differ by more than `threshold_percent` of the old one AND every repeat of NEW lies
// beyond every repeat of OLD (their min..max ranges do not meet).
Comparison compare_samples(const std::vector<CaseSample>& old_cases,
                           const std::vector<CaseSample>& new_cases, double threshold_percent);

void write_comparison(std::ostream& out, const Comparison& comparison, double threshold_percent);

} // namespace ipch::stress
