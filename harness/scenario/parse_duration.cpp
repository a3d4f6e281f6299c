#include "scenario.hpp"
#include "scenario/duration.hpp"

#include <array>

namespace ipch::scenario_detail {

namespace {

// A unit's length in nanoseconds as factor * 10^power, which keeps fractions exact: 1.5s is
// 15 * 10^9 / 10^1 with no binary floating point to round 0.1 down to 0.0999...
struct Unit {
    std::string_view name;
    std::uint64_t factor;
    int power;
};

constexpr std::array<Unit, 5> units{{
    {"ns", 1, 0},
    {"us", 1, 3},
    {"ms", 1, 6},
    {"s", 1, 9},
    {"m", 6, 10},
}};

constexpr std::uint64_t power_of_ten(int power) {
    std::uint64_t value = 1;
    for (int i = 0; i < power; ++i)
        value *= 10;
    return value;
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::size_t count_digits(std::string_view text, std::size_t from) {
    std::size_t end = from;
    while (end < text.size() && is_digit(text[end]))
        ++end;
    return end - from;
}

const Unit* find_unit(std::string_view name) {
    for (const Unit& unit : units)
        if (unit.name == name) return &unit;
    return nullptr;
}

// Whole-unit digits times the unit; false on overflow.
bool whole_ns(std::string_view digits, const Unit& unit, std::uint64_t& ns) {
    std::uint64_t value = 0;
    for (char c : digits) {
        if (__builtin_mul_overflow(value, 10u, &value)) return false;
        if (__builtin_add_overflow(value, static_cast<std::uint64_t>(c - '0'), &value))
            return false;
    }
    return !__builtin_mul_overflow(value, unit.factor * power_of_ten(unit.power), &ns);
}

// Fraction digits of a unit, in whole nanoseconds (rounded down).
std::uint64_t fraction_ns(std::string_view digits, const Unit& unit) {
    // Beyond 17 digits every unit is far below a nanosecond, and 6 * 10^17 fits in 64 bits.
    digits = digits.substr(0, 17);
    std::uint64_t numerator = 0;
    for (char c : digits)
        numerator = numerator * 10 + static_cast<std::uint64_t>(c - '0');
    const int places = static_cast<int>(digits.size());
    if (unit.power >= places) return numerator * unit.factor * power_of_ten(unit.power - places);
    return numerator * unit.factor / power_of_ten(places - unit.power);
}

} // namespace

DurationParse scan_duration(std::string_view text) {
    if (text.empty()) return {DurationStatus::empty};
    if (text.front() == '-') return {DurationStatus::negative};
    const std::size_t whole_digits = count_digits(text, 0);
    if (whole_digits == 0) return {DurationStatus::bad_number};
    std::size_t end = whole_digits;
    std::size_t fraction_digits = 0;
    if (end < text.size() && text[end] == '.') {
        fraction_digits = count_digits(text, end + 1);
        if (fraction_digits == 0) return {DurationStatus::bad_number};
        end += 1 + fraction_digits;
    }
    const std::string_view unit_name = text.substr(end);
    if (unit_name.empty()) return {DurationStatus::no_unit};
    const Unit* unit = find_unit(unit_name);
    if (unit == nullptr) return {DurationStatus::unknown_unit};

    std::uint64_t ns = 0;
    if (!whole_ns(text.substr(0, whole_digits), *unit, ns)) return {DurationStatus::overflow};
    const std::uint64_t fraction =
        fraction_ns(text.substr(whole_digits + 1, fraction_digits), *unit);
    if (__builtin_add_overflow(ns, fraction, &ns)) return {DurationStatus::overflow};
    return {DurationStatus::ok, ns};
}

} // namespace ipch::scenario_detail

namespace ipch {

std::optional<std::uint64_t> parse_duration_ns(const std::string& text) {
    const scenario_detail::DurationParse parsed = scenario_detail::scan_duration(text);
    if (parsed.status != scenario_detail::DurationStatus::ok) return std::nullopt;
    return parsed.ns;
}

} // namespace ipch
