#include "scenario/read_stress.hpp"

#include "scenario/read_expect.hpp"
#include "scenario/read_values.hpp"
#include "scenario/stress_timing.hpp"

namespace ipch::scenario_detail {

namespace {

// A list of items, or one item alone (`backends: spin` reads as `backends: [spin]`). Empty when
// the field is neither (reported) or an empty list (reported: a sweep of nothing runs nothing).
std::vector<Field> items_of(const Field& field, std::string_view form, Diagnostics& diag) {
    if (field.node.IsScalar()) return {field};
    if (!check_list(field, form, diag)) return {};
    if (field.node.size() == 0) {
        diag.error(field.pos, field.name + " is an empty list; expected " + std::string(form));
        return {};
    }
    std::vector<Field> items;
    for (const YAML::Node& item : field.node)
        items.push_back(Field{field.name + " item", item, diag.pos(item)});
    return items;
}

std::vector<MutexKind> read_backends(const Field& field, Diagnostics& diag) {
    std::vector<MutexKind> kinds;
    for (const Field& item :
         items_of(field, "a list of mutex kinds, e.g. [named_mutex, spin]", diag))
        if (const auto kind = read_choice(item, "mutex kind", all_mutex_kinds, diag))
            kinds.push_back(*kind);
    return kinds;
}

std::vector<std::uint32_t> read_agent_counts(const Field& field, Diagnostics& diag) {
    std::vector<std::uint32_t> counts;
    for (const Field& item : items_of(field, "a list of agent counts, e.g. [1, 2, 4, 16]", diag))
        if (const auto count = read_integer(item, 1, max_agents, diag))
            counts.push_back(static_cast<std::uint32_t>(*count));
    return counts;
}

void read_timing(const Field& field, StressSpec& spec, Diagnostics& diag) {
    const auto timing = parse_stress_timing(field.node.IsScalar() ? field.node.Scalar() : "");
    if (!timing) {
        diag.error(field.pos, "timing must be full, sampled or sampled:K (K from 1 to " +
                                  std::to_string(max_sample_every) + "); got " +
                                  describe(field.node));
        return;
    }
    spec.timing = timing->mode;
    spec.sample_every = timing->sample_every;
}

void read_clock(const Field& field, StressSpec& spec, Diagnostics& diag) {
    if (field.node.IsScalar() && field.node.Scalar() == "auto")
        spec.clock = ClockChoice::automatic;
    else if (field.node.IsScalar() && field.node.Scalar() == "monotonic")
        spec.clock = ClockChoice::monotonic;
    else
        diag.error(field.pos, "clock must be auto or monotonic; got " + describe(field.node));
}

void read_durations(const MapReader& map, StressSpec& spec, Diagnostics& diag) {
    if (const auto duration = map.find("duration"))
        spec.duration_ns =
            read_duration(*duration, ZeroDuration::rejected, diag).value_or(spec.duration_ns);
    if (const auto warmup = map.find("warmup"))
        spec.warmup_ns = read_duration(*warmup, ZeroDuration::allowed, diag).value_or(0);
    if (const auto hold = map.find("hold"))
        spec.hold_ns = read_duration(*hold, ZeroDuration::allowed, diag).value_or(0);
}

constexpr std::array<std::string_view, 4> stress_expect_keys{"min_throughput", "max_wait_p99",
                                                             "max_wait", "min_fairness"};

} // namespace

ScenarioKind read_kind(const YAML::Node& root, Diagnostics& diag) {
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!it->first.IsScalar() || it->first.Scalar() != "kind") continue;
        const YAML::Node value = it->second; // a copy: `it->second` is a temporary
        if (value.IsScalar() && value.Scalar() == "stress") return ScenarioKind::stress;
        if (value.IsScalar() && value.Scalar() == "scenario") return ScenarioKind::scenario;
        const SourcePos pos = value.IsNull() ? diag.pos(it->first) : diag.pos(value);
        diag.error(pos, "kind must be scenario or stress; got " + describe(value));
        return ScenarioKind::scenario;
    }
    return ScenarioKind::scenario;
}

StressSpec read_stress(const MapReader& map, Diagnostics& diag) {
    StressSpec spec;
    if (const auto backends = map.find("backends")) spec.backends = read_backends(*backends, diag);
    if (const auto mapping = map.find("mapping"))
        spec.mapping =
            read_choice(*mapping, "mapping kind", all_mapping_kinds, diag).value_or(spec.mapping);
    if (const auto agents = map.find("agents")) spec.agents = read_agent_counts(*agents, diag);
    read_durations(map, spec, diag);
    if (const auto payload = map.find("payload"))
        spec.payload_bytes =
            read_integer(*payload, 1, max_stress_payload, diag).value_or(spec.payload_bytes);
    if (const auto repeat = map.find("repeat"))
        spec.repeat = static_cast<std::uint32_t>(
            read_integer(*repeat, 1, max_stress_repeat, diag).value_or(spec.repeat));
    if (const auto timing = map.find("timing")) read_timing(*timing, spec, diag);
    if (const auto clock = map.find("clock")) read_clock(*clock, spec, diag);
    if (const auto pin = map.find("pin")) spec.pin = read_bool(*pin, diag).value_or(false);
    return spec;
}

Thresholds read_stress_expect(const Field& field, Diagnostics& diag) {
    if (!check_map(field, "a map such as {min_throughput: 100000, max_wait_p99: 1ms}", diag))
        return {};
    const MapReader map(field.node, stress_expect_keys, "in a stress file's expect", diag);
    return read_thresholds(map, diag);
}

} // namespace ipch::scenario_detail
