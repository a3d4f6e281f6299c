// Readers of single values. Each one reports what is wrong at the field's position and returns
// nullopt, so that the caller keeps its default and goes on to find the next problem.
#pragma once

#include "scenario/word_lists.hpp"
#include "scenario/yaml_reader.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ipch::scenario_detail {

// Any scalar, as text.
std::optional<std::string> read_string(const Field& field, Diagnostics& diag);

// A scalar with at least one character.
std::optional<std::string> read_text(const Field& field, Diagnostics& diag);

// `true` or `false`, unquoted: YAML 1.1's yes/no/on/off are exactly the surprise to avoid.
std::optional<bool> read_bool(const Field& field, Diagnostics& diag);

// A plain decimal number ("1000", "0.9", "2.5e6"): not quoted, finite; nullopt otherwise (the
// caller says what it expected).
std::optional<double> parse_number(const YAML::Node& node);

// An unquoted decimal integer in [min, max].
std::optional<std::uint64_t> read_integer(const Field& field, std::uint64_t min, std::uint64_t max,
                                          Diagnostics& diag);

enum class ZeroDuration { allowed, rejected };

// A duration such as 250ms, at most max_duration_ns.
std::optional<std::uint64_t> read_duration(const Field& field, ZeroDuration zero,
                                           Diagnostics& diag);

// A size such as 4096 or 4KiB: bytes, optionally with a suffix KiB, MiB or GiB.
enum class SizeParse { ok, invalid, too_large };
SizeParse parse_size(std::string_view text, std::uint64_t& bytes);
inline constexpr std::string_view size_form =
    "a number of bytes, optionally with a suffix KiB, MiB or GiB, e.g. 4KiB";

// A fixed name for a mapping or mutex; `what` names it in messages ("mapping name").
std::optional<std::string> read_object_name(const Field& field, std::string_view what,
                                            Diagnostics& diag);

// One of `choices`, written as its to_string; `what` names it in messages ("open mode").
template <typename Enum, std::size_t N>
std::optional<Enum> read_choice(const Field& field, std::string_view what,
                                const std::array<Enum, N>& choices, Diagnostics& diag) {
    std::vector<std::string_view> names;
    for (Enum choice : choices)
        names.push_back(to_string(choice));
    if (!field.node.IsScalar()) {
        diag.error(field.pos, field.name + " must be one of: " + join_words(names) + "; got " +
                                  describe(field.node));
        return std::nullopt;
    }
    const std::string& text = field.node.Scalar();
    for (Enum choice : choices)
        if (to_string(choice) == text) return choice;
    diag.error(field.pos, "unknown " + std::string(what) + " '" + shown(text) +
                              "'; expected one of: " + join_words(names));
    return std::nullopt;
}

} // namespace ipch::scenario_detail
