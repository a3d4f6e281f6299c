// Durations as scenarios write them ("250ms", "1.5s"), with the reason when one is invalid so
// that the loader can say what is wrong. parse_duration_ns (scenario.hpp) is the short form.
#pragma once

#include <cstdint>
#include <string_view>

namespace ipch::scenario_detail {

enum class DurationStatus {
    ok,
    empty,
    negative,
    no_unit,      // a bare number: "5"
    unknown_unit, // "5 parsecs", "5h", "5 s"
    bad_number,   // no digits first: "s", ".5s", "+5s"
    overflow,     // more nanoseconds than 64 bits hold
};

struct DurationParse {
    DurationStatus status = DurationStatus::empty;
    std::uint64_t ns = 0;
};

// The units a duration may have, for messages.
inline constexpr std::string_view duration_units = "ns, us, ms, s, m";

// Fraction digits finer than a nanosecond are dropped (rounded down).
DurationParse scan_duration(std::string_view text);

} // namespace ipch::scenario_detail
