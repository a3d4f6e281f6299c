// An agent group's seeded faults: `faults: [skip-lock, torn-write]` (each at probability 1) or
// `faults: {skip-lock: 0.1, stale-read: 1}`. Either form gives the same messages for an unknown
// fault, a fault named twice, and a probability outside [0, 1].
#include "scenario/read_values.hpp"
#include "scenario/readers.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace ipch::scenario_detail {

namespace {

constexpr std::string_view faults_form =
    "a list of fault names, or a map of fault names to probabilities, e.g. [skip-lock] or "
    "{skip-lock: 0.1}";

std::vector<std::string_view> fault_names() {
    std::vector<std::string_view> names;
    for (const FaultKind kind : fault_kinds)
        names.push_back(to_string(kind));
    return names;
}

std::optional<FaultKind> read_fault_name(const YAML::Node& node, const SourcePos& pos,
                                         Diagnostics& diag) {
    const std::vector<std::string_view> names = fault_names();
    if (!node.IsScalar()) {
        diag.error(pos, "a fault must be one of: " + join_words(names) + "; got " + describe(node));
        return std::nullopt;
    }
    for (const FaultKind kind : fault_kinds)
        if (to_string(kind) == node.Scalar()) return kind;
    std::string what = "unknown fault '" + shown(node.Scalar()) + "'";
    if (const std::string_view close = closest_word(node.Scalar(), names); !close.empty())
        what += " (did you mean '" + std::string(close) + "'?)";
    diag.error(pos, what + "; expected one of: " + join_words(names));
    return std::nullopt;
}

std::optional<double> read_probability(const YAML::Node& node, const SourcePos& pos, FaultKind kind,
                                       Diagnostics& diag) {
    const std::optional<double> value = parse_number(node);
    if (value && *value >= 0 && *value <= 1) return value;
    diag.error(pos, "probability of fault '" + std::string(to_string(kind)) +
                        "' must be a number from 0 to 1; got " + describe(node));
    return std::nullopt;
}

// Adds a fault unless it is there already (then says where it was first).
void add_fault(std::vector<FaultSpec>& faults, std::map<FaultKind, int>& first_lines,
               FaultSpec fault, const SourcePos& pos, Diagnostics& diag) {
    const auto [first, added] = first_lines.emplace(fault.kind, pos.line);
    if (!added) {
        diag.error(pos, "duplicate fault '" + std::string(to_string(fault.kind)) +
                            "' (first at line " + std::to_string(first->second) + ")");
        return;
    }
    faults.push_back(fault);
}

} // namespace

std::vector<FaultSpec> read_faults(const Field& field, Diagnostics& diag) {
    if (!field.node.IsSequence() && !field.node.IsMap()) {
        diag.error(field.pos,
                   "faults must be " + std::string(faults_form) + "; got " + describe(field.node));
        return {};
    }
    // An empty list would ask for nothing: most likely a fault left out by mistake.
    if (field.node.size() == 0) {
        diag.error(field.pos,
                   "faults is empty; expected at least one of: " + join_words(fault_names()));
        return {};
    }
    std::vector<FaultSpec> faults;
    std::map<FaultKind, int> first_lines;
    if (field.node.IsSequence()) {
        for (const YAML::Node& item : field.node) {
            const SourcePos pos = diag.pos(item);
            if (const auto kind = read_fault_name(item, pos, diag))
                add_fault(faults, first_lines, FaultSpec{*kind, 1.0}, pos, diag);
        }
        return faults;
    }
    for (auto it = field.node.begin(); it != field.node.end(); ++it) {
        const SourcePos key_pos = diag.pos(it->first);
        const std::optional<FaultKind> kind = read_fault_name(it->first, key_pos, diag);
        if (!kind) continue;
        // `skip-lock:` with nothing after it has no position of its own; its key does.
        const SourcePos value_pos = it->second.IsNull() ? key_pos : diag.pos(it->second);
        const std::optional<double> probability =
            read_probability(it->second, value_pos, *kind, diag);
        if (probability)
            add_fault(faults, first_lines, FaultSpec{*kind, *probability}, key_pos, diag);
    }
    return faults;
}

} // namespace ipch::scenario_detail
