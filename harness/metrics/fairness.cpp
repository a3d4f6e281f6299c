// Jain's fairness index (R. Jain, D. Chiu, W. Hawe, DEC-TR-301, 1984).
#include "metrics.hpp"

namespace ipch {

std::optional<double> jain_index(std::span<const std::uint64_t> counts) {
    double sum = 0, sum_of_squares = 0;
    for (const std::uint64_t count : counts) {
        const double x = static_cast<double>(count);
        sum += x;
        sum_of_squares += x * x;
    }
    if (counts.empty() || sum_of_squares == 0) return std::nullopt;
    return sum * sum / (static_cast<double>(counts.size()) * sum_of_squares);
}

} // namespace ipch
