// A log-linear histogram of non-negative integers (nanoseconds, usually): the HDR histogram's
// idea, small. Values below 2^sub_bits are counted exactly; above, each power of two is split
// into 2^(sub_bits-1) equal buckets, so a bucket is never wider than 2^-(sub_bits-1) of the
// values in it. Every percentile it reports is within that relative error of the exact one, in
// fixed memory, whatever the number of samples: no vector of every wait to sort.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace ipch {

class LogHistogram {
  public:
    static constexpr unsigned sub_bits = 8; // relative error at most 2^-7 = 0.78 %
    static constexpr std::uint64_t sub_count = std::uint64_t{1} << sub_bits;
    static constexpr std::uint64_t half_count = sub_count / 2;
    static constexpr std::size_t bucket_count = sub_count + (64 - sub_bits) * half_count;
    // The largest relative difference between a reported value and the exact one.
    static constexpr double relative_error = 1.0 / static_cast<double>(half_count);

    void record(std::uint64_t value, std::uint64_t count = 1);
    void merge(const LogHistogram& other);

    std::uint64_t count() const { return count_; }
    std::optional<std::uint64_t> min() const;
    std::optional<std::uint64_t> max() const;
    std::optional<double> mean() const;

    // The nearest-rank percentile (0 < p <= 100): the smallest value with at least p % of the
    // samples at or below it, as the upper end of its bucket (never above the largest sample).
    // nullopt when empty.
    std::optional<std::uint64_t> percentile(double p) const;

    // The buckets that hold samples, lowest first: their value range and count (for reports).
    struct Bucket {
        std::uint64_t low;  // the smallest value in the bucket
        std::uint64_t high; // the largest
        std::uint64_t count;
    };
    std::vector<Bucket> buckets() const;

    // A bucket's index and range; public for tests.
    static std::size_t index_of(std::uint64_t value);
    static std::uint64_t low_of(std::size_t index);
    static std::uint64_t high_of(std::size_t index);

  private:
    std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(bucket_count);
    std::uint64_t count_ = 0;
    std::uint64_t min_ = UINT64_MAX;
    std::uint64_t max_ = 0;
    long double sum_ = 0;
};

} // namespace ipch
