// --shard K/N: what it accepts, and that the shards of a list together hold every item once.
#include "run/shard.hpp"

#include <catch2/catch.hpp>
#include <numeric>

using namespace ipch;

namespace {

Shard parsed(const std::string& text) {
    auto shard = parse_shard(text);
    REQUIRE(std::holds_alternative<Shard>(shard));
    return std::get<Shard>(shard);
}

} // namespace

TEST_CASE("parse_shard reads K/N with 1 <= K <= N", "[shard]") {
    CHECK(parsed("1/1").whole());
    CHECK(parsed("2/4").index == 2);
    CHECK(parsed("2/4").count == 4);
    CHECK(parsed("04/04").index == 4);
    CHECK(to_string(parsed("3/7")) == "3/7");
    CHECK(to_string(parsed("1/1")).empty());
    for (const char* bad : {"", "1", "0/2", "3/2", "1/0", "-1/2", "1/-2", "+1/2", " 1/2", "1/2 ",
                            "1//2", "a/b", "1/2/3", "1.0/2", "99999999999/99999999999"}) {
        INFO(bad);
        const auto shard = parse_shard(bad);
        REQUIRE(std::holds_alternative<std::string>(shard));
        CHECK(std::get<std::string>(shard).find("expected K/N") != std::string::npos);
    }
}

TEST_CASE("the shards of a list hold each item exactly once, by stride", "[shard]") {
    std::vector<int> items(10);
    std::iota(items.begin(), items.end(), 0);
    CHECK(shard_of(items, parsed("1/3")) == std::vector<int>{0, 3, 6, 9});
    CHECK(shard_of(items, parsed("2/3")) == std::vector<int>{1, 4, 7});
    CHECK(shard_of(items, parsed("3/3")) == std::vector<int>{2, 5, 8});
    CHECK(shard_of(items, parsed("1/1")) == items);
    // More shards than items: the last shards are empty, none repeats an item.
    std::vector<int> seen;
    for (int k = 1; k <= 12; ++k) {
        const auto part = shard_of(items, parsed(std::to_string(k) + "/12"));
        CHECK(part.size() <= 1);
        seen.insert(seen.end(), part.begin(), part.end());
    }
    CHECK(seen == items);
    for (std::size_t total = 0; total < 12; ++total)
        for (std::size_t n = 1; n <= 5; ++n)
            for (std::size_t k = 1; k <= n; ++k) {
                const Shard shard{k, n};
                std::size_t count = 0;
                for (std::size_t i = 0; i < total; ++i)
                    count += in_shard(i, shard) ? 1 : 0;
                CHECK(shard_size(total, shard) == count);
            }
}
