#include "metrics/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace ipch {

// Above sub_count, a value's highest bit picks its power of two (its "shift" is how far it is
// shifted to keep sub_bits bits), and the next sub_bits-1 bits pick the bucket within it.
std::size_t LogHistogram::index_of(std::uint64_t value) {
    if (value < sub_count) return static_cast<std::size_t>(value);
    const unsigned shift = static_cast<unsigned>(std::bit_width(value)) - sub_bits;
    const std::uint64_t top = value >> shift; // in [half_count, sub_count)
    return static_cast<std::size_t>(sub_count + (shift - 1) * half_count + (top - half_count));
}

std::uint64_t LogHistogram::low_of(std::size_t index) {
    if (index < sub_count) return index;
    const std::uint64_t past = index - sub_count;
    const unsigned shift = static_cast<unsigned>(past / half_count) + 1;
    const std::uint64_t top = half_count + past % half_count;
    return top << shift;
}

std::uint64_t LogHistogram::high_of(std::size_t index) {
    if (index < sub_count) return index;
    const unsigned shift = static_cast<unsigned>((index - sub_count) / half_count) + 1;
    return low_of(index) + ((std::uint64_t{1} << shift) - 1);
}

void LogHistogram::record(std::uint64_t value, std::uint64_t count) {
    if (count == 0) return;
    counts_[index_of(value)] += count;
    count_ += count;
    min_ = std::min(min_, value);
    max_ = std::max(max_, value);
    sum_ += static_cast<long double>(value) * static_cast<long double>(count);
}

void LogHistogram::merge(const LogHistogram& other) {
    for (std::size_t i = 0; i < bucket_count; ++i)
        counts_[i] += other.counts_[i];
    count_ += other.count_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
    sum_ += other.sum_;
}

std::optional<std::uint64_t> LogHistogram::min() const {
    if (count_ == 0) return std::nullopt;
    return min_;
}

std::optional<std::uint64_t> LogHistogram::max() const {
    if (count_ == 0) return std::nullopt;
    return max_;
}

std::optional<double> LogHistogram::mean() const {
    if (count_ == 0) return std::nullopt;
    return static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::optional<std::uint64_t> LogHistogram::percentile(double p) const {
    if (count_ == 0 || !(p > 0)) return std::nullopt;
    // Nearest rank: the ceil(p/100 * n)-th smallest sample, at least the first.
    const double exact = std::ceil(std::min(p, 100.0) / 100.0 * static_cast<double>(count_));
    const std::uint64_t rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(exact));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < bucket_count; ++i) {
        seen += counts_[i];
        if (seen >= rank) return std::clamp(high_of(i), min_, max_);
    }
    return max_;
}

std::vector<LogHistogram::Bucket> LogHistogram::buckets() const {
    std::vector<Bucket> filled;
    for (std::size_t i = 0; i < bucket_count; ++i)
        if (counts_[i] != 0) filled.push_back({low_of(i), high_of(i), counts_[i]});
    return filled;
}

} // namespace ipch
