// The log-linear histogram: exact below 2^sub_bits, within its stated relative error above,
// against the exact nearest-rank percentile of the same samples.
#include "metrics.hpp"
#include "metrics/histogram.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace ipch;

TEST_CASE("histogram buckets tile the whole range without gaps", "[histogram]") {
    CHECK(LogHistogram::index_of(0) == 0);
    CHECK(LogHistogram::index_of(255) == 255);
    CHECK(LogHistogram::index_of(256) == 256);
    CHECK(LogHistogram::index_of(257) == 256);
    CHECK(LogHistogram::index_of(258) == 257);
    CHECK(LogHistogram::index_of(UINT64_MAX) == LogHistogram::bucket_count - 1);
    CHECK(LogHistogram::high_of(LogHistogram::bucket_count - 1) == UINT64_MAX);
    for (std::size_t i = 1; i < LogHistogram::bucket_count; ++i) {
        INFO("bucket " << i);
        REQUIRE(LogHistogram::low_of(i) == LogHistogram::high_of(i - 1) + 1);
        REQUIRE(LogHistogram::index_of(LogHistogram::low_of(i)) == i);
        REQUIRE(LogHistogram::index_of(LogHistogram::high_of(i)) == i);
        const double width =
            static_cast<double>(LogHistogram::high_of(i) - LogHistogram::low_of(i));
        REQUIRE(width <=
                LogHistogram::relative_error * static_cast<double>(LogHistogram::low_of(i)));
    }
}

TEST_CASE("histogram percentiles are exact for small values", "[histogram]") {
    LogHistogram histogram;
    for (std::uint64_t v = 1; v <= 100; ++v)
        histogram.record(v);
    CHECK(histogram.count() == 100);
    CHECK(histogram.percentile(50) == 50);
    CHECK(histogram.percentile(99) == 99);
    CHECK(histogram.percentile(100) == 100);
    CHECK(histogram.percentile(0.001) == 1);
    CHECK(histogram.min() == 1);
    CHECK(histogram.max() == 100);
    CHECK(histogram.mean() == Approx(50.5));
}

TEST_CASE("histogram percentiles stay within the relative error of the exact ones", "[histogram]") {
    std::mt19937_64 random(7);
    // Lock waits look like this: most short, a long tail over several orders of magnitude.
    std::lognormal_distribution<double> wait(std::log(2000.0), 1.5);
    std::vector<std::uint64_t> samples;
    LogHistogram histogram;
    for (int i = 0; i < 200000; ++i) {
        const auto value = static_cast<std::uint64_t>(wait(random));
        samples.push_back(value);
        histogram.record(value);
    }
    for (const double p : {1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
        const std::uint64_t exact = *percentile(samples, p);
        const std::uint64_t reported = *histogram.percentile(p);
        INFO("p" << p << ": exact " << exact << ", reported " << reported);
        CHECK(reported >= exact); // a bucket's upper end: never optimistic
        CHECK(static_cast<double>(reported - exact) <=
              LogHistogram::relative_error * static_cast<double>(exact) + 1);
    }
    CHECK(histogram.percentile(100) == *maximum(samples));
}

TEST_CASE("merged histograms equal one fed every sample", "[histogram]") {
    LogHistogram a;
    LogHistogram b;
    LogHistogram both;
    for (std::uint64_t v = 0; v < 100000; v += 7) {
        (v % 2 == 0 ? a : b).record(v * 13);
        both.record(v * 13);
    }
    a.merge(b);
    CHECK(a.count() == both.count());
    CHECK(a.min() == both.min());
    CHECK(a.max() == both.max());
    for (const double p : {50.0, 99.0, 99.9})
        CHECK(a.percentile(p) == both.percentile(p));
    const auto filled = a.buckets();
    REQUIRE_FALSE(filled.empty());
    std::uint64_t total = 0;
    for (const auto& bucket : filled)
        total += bucket.count;
    CHECK(total == both.count());
}

TEST_CASE("an empty histogram has no figures", "[histogram]") {
    LogHistogram histogram;
    CHECK_FALSE(histogram.percentile(50));
    CHECK_FALSE(histogram.min());
    CHECK_FALSE(histogram.max());
    CHECK_FALSE(histogram.mean());
    CHECK(histogram.buckets().empty());
    histogram.record(5, 0); // a count of 0 records nothing
    CHECK(histogram.count() == 0);
}
