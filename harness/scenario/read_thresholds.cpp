// Thresholds: figures of the run that must reach a limit (docs/scenarios.md, `expect`).
#include "scenario/read_expect.hpp"
#include "scenario/read_values.hpp"

#include <cmath>

namespace ipch::scenario_detail {

namespace {

// A number in (0, max]; `form` says so in the message.
std::optional<double> read_positive(const Field& field, double max, std::string_view form,
                                    Diagnostics& diag) {
    const std::optional<double> value = parse_number(field.node);
    if (value && *value > 0 && *value <= max) return value;
    diag.error(field.pos,
               field.name + " must be " + std::string(form) + "; got " + describe(field.node));
    return std::nullopt;
}

} // namespace

Thresholds read_thresholds(const MapReader& expect_map, Diagnostics& diag) {
    Thresholds thresholds;
    if (const auto field = expect_map.find("min_throughput"))
        thresholds.min_throughput = read_positive(
            *field, HUGE_VAL, "a number greater than 0 (critical sections per second)", diag);
    if (const auto field = expect_map.find("max_wait_p99"))
        thresholds.max_wait_p99_ns = read_duration(*field, ZeroDuration::rejected, diag);
    if (const auto field = expect_map.find("max_wait"))
        thresholds.max_wait_ns = read_duration(*field, ZeroDuration::rejected, diag);
    if (const auto field = expect_map.find("min_fairness"))
        thresholds.min_fairness =
            read_positive(*field, 1, "a number greater than 0 and at most 1 (Jain's index)", diag);
    if (const auto field = expect_map.find("max_overtakes"))
        thresholds.max_overtakes = read_integer(*field, 0, UINT32_MAX, diag);
    return thresholds;
}

} // namespace ipch::scenario_detail
