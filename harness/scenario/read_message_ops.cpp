// The ops that carry a message: write (a text, or a payload of a given size), read (with what it
// expects) and wait_for (a text, or any message from given writers).
#include "scenario/op_readers.hpp"
#include "scenario/read_values.hpp"

#include <array>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 3> write_keys{"text", "size", "pattern"};
constexpr std::array<std::string_view, 1> read_keys{"expect"};
constexpr std::array<std::string_view, 3> wait_for_keys{"text", "from", "timeout"};

constexpr std::uint64_t default_wait_timeout_ns = 10'000'000'000;
// Each write's payload names its writer and its number, so a torn or stale payload shows whose
// it was.
constexpr std::string_view default_pattern = "{agent}:{seq};";
// The plain word that makes a read accept any whole message; quoted, it is a text like any other.
constexpr std::string_view any_valid = "any-valid";

// A text the agent expands: non-empty, with known template words only.
std::optional<std::string> read_template(const Field& field, Diagnostics& diag) {
    std::optional<std::string> text = read_text(field, diag);
    if (text) check_template(field, diag);
    return text;
}

// A payload size: 1 byte to 1GiB. Whether it fits the mapping is the agent's to say at run time
// (it records an error event), as for a text too long for it.
std::optional<std::uint64_t> read_payload_size(const Field& field, Diagnostics& diag) {
    if (!field.node.IsScalar()) {
        diag.error(field.pos, "write size must be a number of bytes such as 100 or 4KiB; got " +
                                  describe(field.node));
        return std::nullopt;
    }
    const std::string& text = field.node.Scalar();
    std::uint64_t bytes = 0;
    const SizeParse parsed = parse_size(text, bytes);
    if (parsed == SizeParse::invalid)
        diag.error(field.pos,
                   "invalid size '" + shown(text) + "'; expected " + std::string(size_form));
    else if (parsed == SizeParse::too_large || bytes > max_mapping_size)
        diag.error(field.pos, "write size " + shown(text) +
                                  " is too large; expected at most 1GiB (" +
                                  std::to_string(max_mapping_size) + " bytes)");
    else if (bytes == 0)
        diag.error(field.pos, "write size 0 is too small; expected at least 1 byte");
    else
        return bytes;
    return std::nullopt;
}

void read_write_map(OpSpec& spec, const Field& value, Diagnostics& diag) {
    const MapReader map(value.node, write_keys, "in write", diag);
    const auto text = map.find("text");
    const auto size = map.find("size");
    const auto pattern = map.find("pattern");
    if (text && (size || pattern)) {
        diag.error((size ? size : pattern)->pos,
                   "write has both 'text' and '" + std::string(size ? "size" : "pattern") +
                       "'; expected either {text: TEXT} or {size: SIZE, pattern: TEXT}");
        return;
    }
    if (text) {
        spec.text = read_template(*text, diag).value_or("");
        return;
    }
    if (!size) {
        diag.error(value.pos, pattern ? "write has 'pattern' without 'size'; expected a size for "
                                        "the pattern to fill, such as {size: 1KiB, pattern: x}"
                                      : "write needs 'text' or 'size'; expected {text: TEXT} or "
                                        "{size: SIZE, pattern: TEXT}");
        return;
    }
    spec.size = read_payload_size(*size, diag).value_or(0);
    spec.pattern = std::string(default_pattern);
    if (pattern) spec.pattern = read_template(*pattern, diag).value_or(spec.pattern);
}

// wait_for's `from`: one name, or a non-empty list of them. Whether each names an agent or a group
// is checked once every agent is read (check_references).
std::vector<std::string> read_from(const Field& field, Diagnostics& diag) {
    if (field.node.IsScalar()) {
        const std::optional<std::string> name = read_text(field, diag);
        return name ? std::vector<std::string>{*name} : std::vector<std::string>{};
    }
    if (!check_list(field, "an agent or group name, or a list of them", diag)) return {};
    if (field.node.size() == 0) {
        diag.error(field.pos, "from is empty; expected at least one agent or group name");
        return {};
    }
    std::vector<std::string> names;
    for (const YAML::Node& item : field.node)
        if (auto name = read_text(Field{"a from name", item, diag.pos(item)}, diag))
            names.push_back(std::move(*name));
    return names;
}

} // namespace

OpSpec read_write(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::write);
    if (value.node.IsMap())
        read_write_map(spec, value, diag);
    else if (value.node.IsScalar())
        spec.text = read_template(value, diag).value_or("");
    else
        diag.error(value.pos, "write must be a non-empty string or a map with 'text' or 'size'; "
                              "got " +
                                  describe(value.node));
    return spec;
}

OpSpec read_read(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::read);
    if (value.node.IsNull()) return spec;
    if (!check_map(value, "nothing or a map such as {expect: text}", diag)) return spec;
    const MapReader map(value.node, read_keys, "in read", diag);
    const auto expect = map.find("expect");
    if (!expect) return spec;
    spec.has_expect = true;
    if (is_plain_scalar(expect->node) && expect->node.Scalar() == any_valid)
        spec.expect_any_valid = true;
    else
        spec.text = read_template(*expect, diag).value_or("");
    return spec;
}

OpSpec read_wait_for(const Field& op, const Field& value, Diagnostics& diag) {
    OpSpec spec = leaf_op(op, OpKind::wait_for);
    spec.duration_ns = default_wait_timeout_ns;
    if (!check_map(value, "a map such as {text: ready, timeout: 5s}", diag)) return spec;
    const MapReader map(value.node, wait_for_keys, "in wait_for", diag);
    const auto text = map.find("text");
    const auto from = map.find("from");
    if (text && from)
        diag.error(from->pos, "wait_for has both 'text' and 'from'; expected one of them: the text "
                              "to wait for, or the writers to wait for a message from");
    else if (text)
        spec.text = read_template(*text, diag).value_or("");
    else if (from)
        spec.from = read_from(*from, diag);
    else
        diag.error(value.pos, "wait_for needs 'text' or 'from'; expected the text to wait for, or "
                              "the agents or groups whose message to wait for");
    if (const auto timeout = map.find("timeout"))
        spec.duration_ns =
            read_duration(*timeout, ZeroDuration::rejected, diag).value_or(spec.duration_ns);
    return spec;
}

} // namespace ipch::scenario_detail
