// `--shard K/N` (as LLVM lit's --run-shard/--num-shards): one invocation runs the K-th of N
// stable slices of its cases, so a CI matrix spreads one suite over N machines. The split is a
// stride over the cases in their discovery order (files in name order, cases in file order):
// case i (from 0) belongs to shard i mod N + 1. It depends on nothing but that order, so every
// machine computes the same split, and the shards together run every case exactly once.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace ipch {

struct Shard {
    std::size_t index = 1; // K, from 1
    std::size_t count = 1; // N; 1/1 is the whole suite
    bool whole() const { return count == 1; }
};

// "K/N" with 1 <= K <= N, both decimal; else why not, in the harness's error style.
std::variant<Shard, std::string> parse_shard(const std::string& text);

// "K/N", for reports; "" for the whole suite.
std::string to_string(const Shard& shard);

// Whether the case at `position` (from 0) in discovery order is this shard's.
inline bool in_shard(std::size_t position, const Shard& shard) {
    return position % shard.count == shard.index - 1;
}

// How many of `total` cases are this shard's.
inline std::size_t shard_size(std::size_t total, const Shard& shard) {
    return total / shard.count + (total % shard.count >= shard.index ? 1 : 0);
}

// The items of `all` that are this shard's, in their order.
template <typename T>
std::vector<T> shard_of(const std::vector<T>& all, const Shard& shard) {
    std::vector<T> kept;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (in_shard(i, shard)) kept.push_back(all[i]);
    return kept;
}

} // namespace ipch
