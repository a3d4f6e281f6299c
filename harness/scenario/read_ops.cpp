// An agent's ops: each list item is a one-key map (`write: text`) or the bare word `read`.
#include "scenario/read_values.hpp"
#include "scenario/readers.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 6> op_names{"write", "read",  "wait_for",
                                                   "hold",  "sleep", "repeat"};
constexpr std::array<std::string_view, 1> write_keys{"text"};
constexpr std::array<std::string_view, 1> read_keys{"expect"};
constexpr std::array<std::string_view, 2> wait_for_keys{"text", "timeout"};
constexpr std::array<std::string_view, 2> repeat_keys{"count", "ops"};

constexpr std::uint64_t default_wait_timeout_ns = 10'000'000'000;

// How each op is written, for "op 'hold' needs a value; expected ...".
std::string_view op_form(std::string_view name) {
    if (name == "write") return "write: text";
    if (name == "wait_for") return "wait_for: {text: ..., timeout: 5s}";
    if (name == "hold") return "hold: 10us";
    if (name == "sleep") return "sleep: 1ms";
    return "repeat: {count: 2, ops: [...]}";
}

std::string unknown_op(std::string_view name) {
    return "unknown op '" + shown(name) + "'; expected one of: " + join_words(op_names);
}

OpSpec leaf(const Field& op, OpKind kind) {
    OpSpec spec;
    spec.pos = op.pos;
    spec.kind = kind;
    return spec;
}

OpSpec read_write(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf(op, OpKind::write);
    if (value.node.IsMap()) {
        const MapReader map(value.node, write_keys, "in write", diag);
        if (const auto text = map.require("text", "the text to write"))
            spec.text = read_text(*text, diag).value_or("");
    } else if (value.node.IsScalar()) {
        spec.text = read_text(value, diag).value_or("");
    } else {
        diag.error(value.pos, "write must be a non-empty string or a map with 'text'; got " +
                                  describe(value.node));
    }
    return spec;
}

OpSpec read_read(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf(op, OpKind::read);
    if (value.node.IsNull()) return spec;
    if (!check_map(value, "nothing or a map such as {expect: text}", diag)) return spec;
    const MapReader map(value.node, read_keys, "in read", diag);
    if (const auto expect = map.find("expect")) {
        spec.has_expect = true;
        spec.text = read_text(*expect, diag).value_or("");
    }
    return spec;
}

OpSpec read_wait_for(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf(op, OpKind::wait_for);
    spec.duration_ns = default_wait_timeout_ns;
    if (!check_map(value, "a map such as {text: ready, timeout: 5s}", diag)) return spec;
    const MapReader map(value.node, wait_for_keys, "in wait_for", diag);
    if (const auto text = map.require("text", "the text to wait for"))
        spec.text = read_text(*text, diag).value_or("");
    if (const auto timeout = map.find("timeout"))
        spec.duration_ns =
            read_duration(*timeout, ZeroDuration::rejected, diag).value_or(spec.duration_ns);
    return spec;
}

OpSpec read_pause(const Field& op, OpKind kind, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf(op, kind);
    spec.duration_ns = read_duration(value, ZeroDuration::allowed, diag).value_or(0);
    return spec;
}

std::optional<OpSpec> read_repeat(const Field& op, const Field& value, int depth, OpBudget& budget,
                                  Diagnostics& diag) {
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
    if (const auto count =
            map.require("count", "a count from 1 to " + std::to_string(max_repeat_count)))
        spec.count = read_integer(*count, 1, max_repeat_count, diag).value_or(0);
    if (const auto ops = map.require("ops", "a list of ops"))
        spec.ops = read_ops(*ops, depth + 1, budget, diag);
    return spec;
}

std::optional<OpSpec> read_named_op(const Field& op, const MapReader::Entry& entry, int depth,
                                    OpBudget& budget, Diagnostics& diag) {
    const std::string& name = entry.key;
    if (name == "write") return read_write(op, entry.value, diag);
    if (name == "read") return read_read(op, entry.value, diag);
    if (name == "wait_for") return read_wait_for(op, entry.value, diag);
    if (name == "hold") return read_pause(op, OpKind::hold, entry.value, diag);
    if (name == "sleep") return read_pause(op, OpKind::sleep, entry.value, diag);
    if (name == "repeat") return read_repeat(op, entry.value, depth, budget, diag);
    diag.error(entry.key_pos, unknown_op(name));
    return std::nullopt;
}

// A bare word: only `read` needs no value.
std::optional<OpSpec> read_bare_op(const Field& op, Diagnostics& diag) {
    const std::string& name = op.node.Scalar();
    if (name == "read") return leaf(op, OpKind::read);
    if (std::find(op_names.begin(), op_names.end(), name) != op_names.end())
        diag.error(op.pos,
                   "op '" + name + "' needs a value; expected " + std::string(op_form(name)));
    else
        diag.error(op.pos, unknown_op(name));
    return std::nullopt;
}

std::optional<OpSpec> read_op(const Field& op, int depth, OpBudget& budget, Diagnostics& diag) {
    if (op.node.IsScalar()) return read_bare_op(op, diag);
    if (!op.node.IsMap()) {
        diag.error(op.pos, "an op must be an op name or a one-key map such as 'write: text'; got " +
                               describe(op.node));
        return std::nullopt;
    }
    const MapReader map(op.node, {}, "in an op", diag);
    if (map.entries().size() == 1) return read_named_op(op, map.entries()[0], depth, budget, diag);
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

} // namespace

std::vector<OpSpec> read_ops(const Field& field, int depth, OpBudget& budget, Diagnostics& diag) {
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
                diag.error(op.pos,
                           "too many ops once YAML aliases are expanded; expected at most " +
                               std::to_string(max_ops_expanded) + " in the whole file");
            budget.reported = true;
            break;
        }
        --budget.left;
        if (auto spec = read_op(op, depth, budget, diag)) ops.push_back(std::move(*spec));
    }
    return ops;
}

} // namespace ipch::scenario_detail
