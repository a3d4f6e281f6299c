// An agent's ops: each list item is a one-key map (`write: text`) or a bare word (`read`,
// `unlock`). This file knows the op names and their forms; the ops' values are read by the files
// declared in op_readers.hpp.
#include "scenario/op_readers.hpp"
#include "scenario/read_values.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 16> op_names{
    "open",     "close",      "remove", "write", "read",  "wait_for", "increment", "lock",
    "try_lock", "timed_lock", "unlock", "hold",  "sleep", "barrier",  "repeat",    "crash"};
constexpr std::array<std::string_view, 3> repeat_keys{"count", "duration", "ops"};

// Ops that take no value: written as a bare word, or (like `read: {}`) with nothing or an
// empty map after the colon. `open` and `read` also have a map form with optional keys.
constexpr std::array<std::string_view, 6> no_value_ops{"close", "remove", "increment",
                                                       "lock",  "unlock", "try_lock"};
constexpr std::array<OpKind, 6> no_value_kinds{OpKind::close, OpKind::remove, OpKind::increment,
                                               OpKind::lock,  OpKind::unlock, OpKind::try_lock};

// How each op that needs a value is written, for "op 'hold' needs a value; expected ...".
std::string_view op_form(std::string_view name) {
    if (name == "write") return "write: text";
    if (name == "wait_for") return "wait_for: {text: ..., timeout: 5s}";
    if (name == "timed_lock") return "timed_lock: 5ms";
    if (name == "hold") return "hold: 10us";
    if (name == "sleep") return "sleep: 1ms";
    if (name == "barrier") return "barrier: ready";
    if (name == "crash") return "crash: holding-lock";
    return "repeat: {count: 2, ops: [...]}";
}

std::string unknown_op(std::string_view name) {
    std::string what = "unknown op '" + shown(name) + "'";
    const std::string_view close = closest_word(name, op_names);
    if (!close.empty()) what += " (did you mean '" + std::string(close) + "'?)";
    return what + "; expected one of: " + join_words(op_names);
}

// The kind of an op that takes no value, if `name` is one.
std::optional<OpKind> no_value_kind(std::string_view name) {
    const auto it = std::find(no_value_ops.begin(), no_value_ops.end(), name);
    if (it == no_value_ops.end()) return std::nullopt;
    return no_value_kinds[static_cast<std::size_t>(it - no_value_ops.begin())];
}

OpSpec read_no_value(const Field& op, OpKind kind, const Field& value, Diagnostics& diag) {
    const bool empty = value.node.IsNull() || (value.node.IsMap() && value.node.size() == 0);
    if (!empty) {
        const std::string name(to_string(kind));
        diag.error(value.pos, name + " takes no value; expected the bare word '" + name +
                                  "'; got " + describe(value.node));
    }
    return leaf_op(op, kind);
}

struct OpListReader {
    OpenMode group_mode;
    OpBudget& budget;
    Diagnostics& diag;

    std::vector<OpSpec> read_list(const Field& field, int depth);
    std::optional<OpSpec> read_op(const Field& op, int depth);
    std::optional<OpSpec> read_named_op(const Field& op, const MapReader::Entry& entry, int depth);
    std::optional<OpSpec> read_bare_op(const Field& op);
    std::optional<OpSpec> read_repeat(const Field& op, const Field& value, int depth);
};

std::optional<OpSpec> OpListReader::read_repeat(const Field& op, const Field& value, int depth) {
    // Reading deeper would only repeat this message for every level below.
    if (depth + 1 > max_repeat_depth) {
        diag.error(op.pos, "repeat nested " + std::to_string(depth + 1) +
                               " levels deep; expected at most " +
                               std::to_string(max_repeat_depth) + " levels");
        return std::nullopt;
    }
    OpSpec spec;
    spec.pos = op.pos;
    spec.is_repeat = true;
    if (!check_map(value, "a map such as {count: 2, ops: [...]}", diag)) return spec;
    const MapReader map(value.node, repeat_keys, "in repeat", diag);
    const auto count = map.find("count");
    const auto duration = map.find("duration");
    if (count && duration) {
        diag.error(duration->pos, "repeat has both 'count' and 'duration'; expected one of them: "
                                  "a number of times, or how long to repeat");
    } else if (count) {
        spec.count = read_integer(*count, 1, max_repeat_count, diag).value_or(0);
    } else if (duration) {
        // count stays 0: the plan's sign that the repeat runs for a time.
        spec.duration_ns = read_duration(*duration, ZeroDuration::rejected, diag).value_or(0);
    } else {
        diag.error(value.pos, "repeat needs 'count' or 'duration'; expected a count from 1 to " +
                                  std::to_string(max_repeat_count) + " or a duration such as 1s");
    }
    if (const auto ops = map.require("ops", "a list of ops")) spec.ops = read_list(*ops, depth + 1);
    return spec;
}

std::optional<OpSpec> OpListReader::read_named_op(const Field& op, const MapReader::Entry& entry,
                                                  int depth) {
    const std::string& name = entry.key;
    const Field& value = entry.value;
    if (const auto kind = no_value_kind(name)) return read_no_value(op, *kind, value, diag);
    if (name == "open") return read_open(op, value, group_mode, diag);
    if (name == "write") return read_write(op, value, diag);
    if (name == "read") return read_read(op, value, diag);
    if (name == "wait_for") return read_wait_for(op, value, diag);
    if (name == "timed_lock") return read_timed_lock(op, value, diag);
    if (name == "hold") return read_hold(op, value, diag);
    if (name == "sleep") return read_sleep(op, value, diag);
    if (name == "barrier") return read_barrier(op, value, diag);
    if (name == "crash") return read_crash(op, value, diag);
    if (name == "repeat") return read_repeat(op, value, depth);
    diag.error(entry.key_pos, unknown_op(name));
    return std::nullopt;
}

std::optional<OpSpec> OpListReader::read_bare_op(const Field& op) {
    const std::string& name = op.node.Scalar();
    if (const auto kind = no_value_kind(name)) return leaf_op(op, *kind);
    if (name == "read") return leaf_op(op, OpKind::read);
    if (name == "open") {
        OpSpec spec = leaf_op(op, OpKind::open);
        spec.open_mode = group_mode;
        return spec;
    }
    if (std::find(op_names.begin(), op_names.end(), name) != op_names.end())
        diag.error(op.pos,
                   "op '" + name + "' needs a value; expected " + std::string(op_form(name)));
    else
        diag.error(op.pos, unknown_op(name));
    return std::nullopt;
}

std::optional<OpSpec> OpListReader::read_op(const Field& op, int depth) {
    if (op.node.IsScalar()) return read_bare_op(op);
    if (!op.node.IsMap()) {
        diag.error(op.pos, "an op must be an op name or a one-key map such as 'write: text'; got " +
                               describe(op.node));
        return std::nullopt;
    }
    const MapReader map(op.node, {}, "in an op", diag);
    if (map.entries().size() == 1) return read_named_op(op, map.entries()[0], depth);
    if (op.node.size() == 0)
        diag.error(op.pos, "empty op; expected one of: " + join_words(op_names));
    if (map.entries().size() > 1) {
        std::vector<std::string_view> keys;
        for (const MapReader::Entry& entry : map.entries())
            keys.push_back(entry.key);
        // The usual cause: an op's arguments written level with it instead of indented below.
        diag.error(op.pos, "an op has one key, this one has " + std::to_string(keys.size()) + " (" +
                               join_words(keys) +
                               "); expected one op per list item, its arguments indented below it");
    }
    return std::nullopt;
}

// A list of ops inside `depth` repeats (0: an agent's own ops).
std::vector<OpSpec> OpListReader::read_list(const Field& field, int depth) {
    if (!check_list(field, "a list of ops", diag)) return {};
    if (field.node.size() == 0) {
        diag.error(field.pos, field.name + " is empty; expected at least one op");
        return {};
    }
    std::vector<OpSpec> ops;
    for (const YAML::Node& item : field.node) {
        const Field op{"op", item, diag.pos(item)};
        if (budget.left == 0) {
            if (!budget.reported)
                diag.error(op.pos, "too many ops once YAML aliases and matrix cases are expanded; "
                                   "expected at most " +
                                       std::to_string(max_ops_expanded) + " in the whole file");
            budget.reported = true;
            break;
        }
        --budget.left;
        if (auto spec = read_op(op, depth)) ops.push_back(std::move(*spec));
    }
    return ops;
}

} // namespace

OpSpec leaf_op(const Field& op, OpKind kind) {
    OpSpec spec;
    spec.pos = op.pos;
    spec.kind = kind;
    return spec;
}

std::vector<OpSpec> read_ops(const Field& field, OpenMode group_mode, OpBudget& budget,
                             Diagnostics& diag) {
    OpListReader reader{group_mode, budget, diag};
    std::vector<OpSpec> ops = reader.read_list(field, 0);
    check_sections(ops, diag);
    return ops;
}

} // namespace ipch::scenario_detail
