// The ops that shape when things happen: open (again, in a mode of its own), timed_lock, hold,
// sleep (with jitter), barrier and crash.
#include "scenario/op_readers.hpp"
#include "scenario/read_values.hpp"
#include "scenario/word_lists.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 1> open_keys{"mode"};
constexpr std::array<std::string_view, 1> timed_lock_keys{"timeout"};
constexpr std::array<std::string_view, 2> sleep_keys{"min", "max"};
constexpr std::array<std::string_view, 2> barrier_keys{"name", "groups"};
constexpr std::array<std::string_view, 1> crash_keys{"at"};

constexpr std::array<OpenMode, 3> open_modes{OpenMode::create_only, OpenMode::create_or_open,
                                             OpenMode::open_existing};
constexpr std::array<CrashPoint, 4> crash_points{CrashPoint::before_lock, CrashPoint::holding_lock,
                                                 CrashPoint::mid_write, CrashPoint::after_unlock};

// Barrier names are the words people match up across groups; keep them as plain as agent names.
constexpr std::size_t max_barrier_name_length = 64;

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

std::optional<std::string> read_barrier_name(const Field& field, Diagnostics& diag) {
    const std::optional<std::string> name = read_string(field, diag);
    if (!name) return std::nullopt;
    const std::string form = "characters of [A-Za-z0-9_-]";
    if (name->empty()) {
        diag.error(field.pos, "barrier name is empty; expected 1 to " +
                                  std::to_string(max_barrier_name_length) + " " + form);
    } else if (name->size() > max_barrier_name_length) {
        diag.error(field.pos, "barrier name is " + std::to_string(name->size()) +
                                  " characters long; expected at most " +
                                  std::to_string(max_barrier_name_length));
    } else if (auto bad = std::find_if_not(name->begin(), name->end(), is_word_char);
               bad != name->end()) {
        diag.error(field.pos, "barrier name '" + shown(*name) + "' contains '" + shown_char(*bad) +
                                  "'; expected only " + form);
    } else {
        return name;
    }
    return std::nullopt;
}

// A barrier's groups: a non-empty list of group names (that they exist is check_references').
std::vector<std::string> read_groups(const Field& field, Diagnostics& diag) {
    if (!check_list(field, "a list of group names", diag)) return {};
    if (field.node.size() == 0) {
        diag.error(field.pos, "groups is empty; expected at least one group name (leave groups "
                              "out for a barrier of every agent)");
        return {};
    }
    std::vector<std::string> groups;
    for (const YAML::Node& item : field.node)
        if (auto group = read_text(Field{"a group name", item, diag.pos(item)}, diag))
            groups.push_back(std::move(*group));
    return groups;
}

// read_choice, with a suggestion: the op names use '_' (try_lock), the points '-'.
std::optional<CrashPoint> read_crash_point(const Field& field, Diagnostics& diag) {
    std::vector<std::string_view> names;
    for (CrashPoint point : crash_points)
        names.push_back(to_string(point));
    if (field.node.IsScalar()) {
        const std::string& text = field.node.Scalar();
        for (CrashPoint point : crash_points)
            if (to_string(point) == text) return point;
        std::string what = "unknown crash point '" + shown(text) + "'";
        const std::string_view close = closest_word(text, names);
        if (!close.empty()) what += " (did you mean '" + std::string(close) + "'?)";
        diag.error(field.pos, what + "; expected one of: " + join_words(names));
    } else {
        diag.error(field.pos, field.name + " must be one of: " + join_words(names) + "; got " +
                                  describe(field.node));
    }
    return std::nullopt;
}

} // namespace

OpSpec read_open(const Field& op, const Field& value, OpenMode group_mode, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::open);
    spec.open_mode = group_mode;
    if (value.node.IsNull()) return spec;
    if (!check_map(value, "nothing or a map such as {mode: open_existing}", diag)) return spec;
    const MapReader map(value.node, open_keys, "in open", diag);
    if (const auto mode = map.find("mode"))
        spec.open_mode = read_choice(*mode, "open mode", open_modes, diag).value_or(group_mode);
    return spec;
}

OpSpec read_timed_lock(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::timed_lock);
    if (value.node.IsMap()) {
        const MapReader map(value.node, timed_lock_keys, "in timed_lock", diag);
        if (const auto timeout = map.require("timeout", "how long to wait for the lock, e.g. 5ms"))
            spec.duration_ns = read_duration(*timeout, ZeroDuration::rejected, diag).value_or(0);
    } else {
        spec.duration_ns = read_duration(value, ZeroDuration::rejected, diag).value_or(0);
    }
    return spec;
}

OpSpec read_hold(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::hold);
    spec.duration_ns = read_duration(value, ZeroDuration::allowed, diag).value_or(0);
    return spec;
}

// `sleep: 1ms`, or `sleep: {min: 1ms, max: 5ms}`: the agent draws each sleep from [min, max]
// with its seed, so the same seed sleeps the same.
OpSpec read_sleep(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::sleep);
    if (!value.node.IsMap()) {
        // max_duration_ns stays 0: no jitter.
        spec.duration_ns = read_duration(value, ZeroDuration::allowed, diag).value_or(0);
        return spec;
    }
    const MapReader map(value.node, sleep_keys, "in sleep", diag);
    const auto min_field = map.require("min", "the shortest sleep, e.g. 1ms");
    const auto max_field = map.require("max", "the longest sleep, e.g. 5ms");
    if (!min_field || !max_field) return spec;
    const auto min = read_duration(*min_field, ZeroDuration::allowed, diag);
    const auto max = read_duration(*max_field, ZeroDuration::allowed, diag);
    if (!min || !max) return spec;
    if (*min > *max) {
        diag.error(max_field->pos, "sleep max " + shown(max_field->node.Scalar()) +
                                       " is shorter than min " + shown(min_field->node.Scalar()) +
                                       "; expected max at least min");
        return spec;
    }
    spec.duration_ns = *min;
    spec.max_duration_ns = *max;
    return spec;
}

OpSpec read_barrier(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::barrier);
    if (!value.node.IsMap()) {
        if (value.node.IsNull())
            diag.error(value.pos, "barrier must be a name or a map such as {name: ready, groups: "
                                  "[a, b]}; got nothing");
        else
            spec.text =
                read_barrier_name(Field{"barrier name", value.node, value.pos}, diag).value_or("");
        return spec;
    }
    const MapReader map(value.node, barrier_keys, "in barrier", diag);
    if (const auto name = map.require("name", "the barrier's name, e.g. ready"))
        spec.text = read_barrier_name(*name, diag).value_or("");
    if (const auto groups = map.find("groups")) spec.groups = read_groups(*groups, diag);
    return spec;
}

OpSpec read_crash(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::crash);
    // A point that cannot be read keeps one that is valid everywhere, so that it is not also
    // reported as misplaced inside a section.
    spec.crash_at = CrashPoint::holding_lock;
    if (!value.node.IsMap()) {
        spec.crash_at = read_crash_point(value, diag).value_or(spec.crash_at);
        return spec;
    }
    const MapReader map(value.node, crash_keys, "in crash", diag);
    if (const auto at = map.require("at", "where to crash: before-lock, holding-lock, mid-write "
                                          "or after-unlock"))
        spec.crash_at = read_crash_point(*at, diag).value_or(spec.crash_at);
    return spec;
}

} // namespace ipch::scenario_detail
