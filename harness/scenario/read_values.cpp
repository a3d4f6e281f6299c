#include "scenario/read_values.hpp"

#include "scenario/duration.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace ipch::scenario_detail {

namespace {

void wrong(const Field& field, std::string_view form, Diagnostics& diag) {
    diag.error(field.pos,
               field.name + " must be " + std::string(form) + "; got " + describe(field.node));
}

std::string duration_form(std::string_view example) {
    return "a number and a unit (" + std::string(duration_units) + "), e.g. " +
           std::string(example);
}

// Whole minutes read better than nanoseconds, and "h" is not a unit a scenario may use.
std::string longest_duration() {
    return std::to_string(max_duration_ns / 60'000'000'000) + "m (24 hours)";
}

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

struct SizeSuffix {
    std::string_view name;
    std::uint64_t bytes;
};
constexpr std::array<SizeSuffix, 4> size_suffixes{{
    {"", 1},
    {"KiB", 1ull << 10},
    {"MiB", 1ull << 20},
    {"GiB", 1ull << 30},
}};

} // namespace

SizeParse parse_size(std::string_view text, std::uint64_t& bytes) {
    std::uint64_t number = 0;
    const auto [stop, status] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (stop == text.data()) return SizeParse::invalid; // no digits first (or a sign)
    const std::string_view suffix = text.substr(static_cast<std::size_t>(stop - text.data()));
    for (const SizeSuffix& known : size_suffixes) {
        if (known.name != suffix) continue;
        if (status == std::errc::result_out_of_range) return SizeParse::too_large;
        if (__builtin_mul_overflow(number, known.bytes, &bytes)) return SizeParse::too_large;
        return SizeParse::ok;
    }
    return SizeParse::invalid;
}

std::optional<std::string> read_string(const Field& field, Diagnostics& diag) {
    if (field.node.IsScalar()) return field.node.Scalar();
    wrong(field, "a string", diag);
    return std::nullopt;
}

std::optional<std::string> read_text(const Field& field, Diagnostics& diag) {
    if (field.node.IsScalar() && !field.node.Scalar().empty()) return field.node.Scalar();
    wrong(field, "a non-empty string", diag);
    return std::nullopt;
}

std::optional<bool> read_bool(const Field& field, Diagnostics& diag) {
    if (is_plain_scalar(field.node)) {
        if (field.node.Scalar() == "true") return true;
        if (field.node.Scalar() == "false") return false;
    }
    wrong(field, "true or false", diag);
    return std::nullopt;
}

std::optional<double> parse_number(const YAML::Node& node) {
    if (!is_plain_scalar(node)) return std::nullopt;
    const std::string& text = node.Scalar();
    double value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, status] = std::from_chars(text.data(), end, value);
    if (status != std::errc() || stop != end || text.empty() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<std::uint64_t> read_integer(const Field& field, std::uint64_t min, std::uint64_t max,
                                          Diagnostics& diag) {
    if (is_plain_scalar(field.node)) {
        const std::string& text = field.node.Scalar();
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        // from_chars accepts neither a sign nor spaces, so "-5" and "+5" fail here; a number
        // too big for 64 bits fails too, and is out of range anyway.
        const auto [stop, status] = std::from_chars(text.data(), end, value);
        if (status == std::errc() && stop == end && !text.empty() && value >= min && value <= max)
            return value;
    }
    wrong(field, "an integer from " + std::to_string(min) + " to " + std::to_string(max), diag);
    return std::nullopt;
}

std::optional<std::uint64_t> read_duration(const Field& field, ZeroDuration zero,
                                           Diagnostics& diag) {
    if (!field.node.IsScalar()) {
        wrong(field, "a duration such as 250ms", diag);
        return std::nullopt;
    }
    const std::string& text = field.node.Scalar();
    const DurationParse parsed = scan_duration(text);
    const std::string quoted = "'" + shown(text) + "'";
    switch (parsed.status) {
    case DurationStatus::ok:
        break;
    case DurationStatus::no_unit:
        diag.error(field.pos, "duration " + quoted + " needs a unit; expected " +
                                  duration_form(shown(text) + "s"));
        return std::nullopt;
    case DurationStatus::negative:
        diag.error(field.pos,
                   "duration " + quoted + " is negative; expected " + duration_form("250ms"));
        return std::nullopt;
    case DurationStatus::overflow:
        diag.error(field.pos, field.name + " " + shown(text) + " is too long; expected at most " +
                                  longest_duration());
        return std::nullopt;
    case DurationStatus::empty:
    case DurationStatus::unknown_unit:
    case DurationStatus::bad_number:
        diag.error(field.pos,
                   "invalid duration " + quoted + "; expected " + duration_form("250ms"));
        return std::nullopt;
    }
    if (parsed.ns > max_duration_ns) {
        diag.error(field.pos, field.name + " " + shown(text) + " is too long; expected at most " +
                                  longest_duration());
        return std::nullopt;
    }
    if (parsed.ns == 0 && zero == ZeroDuration::rejected) {
        wrong(field, "greater than 0", diag);
        return std::nullopt;
    }
    return parsed.ns;
}

std::optional<std::string> read_object_name(const Field& field, std::string_view what,
                                            Diagnostics& diag) {
    const std::optional<std::string> name = read_string(field, diag);
    if (!name) return std::nullopt;
    const std::string subject = std::string(what) + " '" + shown(*name) + "'";
    const std::string allowed = "characters of [A-Za-z0-9._-]";
    std::string problem;
    if (name->empty()) {
        problem = std::string(what) + " is empty; expected 1 to " +
                  std::to_string(max_name_length) + " " + allowed;
    } else if (name->size() > max_name_length) {
        problem = std::string(what) + " is " + std::to_string(name->size()) +
                  " characters long; expected at most " + std::to_string(max_name_length);
    } else if (name->find('/') != std::string::npos) {
        // The platform puts names in one flat namespace; a '/' would mean a directory.
        problem = subject + " contains '/'; expected only " + allowed;
    } else if (auto bad = std::find_if_not(name->begin(), name->end(), is_name_char);
               bad != name->end()) {
        problem = subject + " contains '" + shown_char(*bad) + "'; expected only " + allowed;
    } else if (name->front() == '.') {
        problem = subject + " starts with '.'; expected a letter, digit, '_' or '-' first";
    } else if (name->starts_with("ipch-")) {
        problem = subject +
                  " starts with 'ipch-', which is reserved for the names the harness generates; "
                  "expected another name";
    }
    if (problem.empty()) return name;
    diag.error(field.pos, problem);
    return std::nullopt;
}

} // namespace ipch::scenario_detail
