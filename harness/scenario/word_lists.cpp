#include "scenario/word_lists.hpp"

#include <algorithm>
#include <vector>

namespace ipch::scenario_detail {

std::string join_words(std::span<const std::string_view> words) {
    std::string out;
    for (std::string_view word : words) {
        if (!out.empty()) out += ", ";
        out += word;
    }
    return out;
}

namespace {

// Optimal string alignment distance: Levenshtein plus adjacent transpositions, so that
// "timoeut" is one edit from "timeout", as a person would count it.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t width = b.size() + 1;
    std::vector<std::size_t> d((a.size() + 1) * width);
    auto at = [&](std::size_t i, std::size_t j) -> std::size_t& { return d[i * width + j]; };
    for (std::size_t i = 0; i <= a.size(); ++i)
        at(i, 0) = i;
    for (std::size_t j = 0; j <= b.size(); ++j)
        at(0, j) = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
        }
    }
    return at(a.size(), b.size());
}

} // namespace

std::string_view closest_word(std::string_view word, std::span<const std::string_view> choices) {
    // Two edits turn most short words into any other short word; allow one for those.
    const std::size_t allowed = word.size() <= 4 ? 1 : 2;
    std::string_view best;
    std::size_t best_distance = allowed + 1;
    for (std::string_view choice : choices) {
        const std::size_t distance = edit_distance(word, choice);
        if (distance < best_distance) {
            best = choice;
            best_distance = distance;
        }
    }
    return best;
}

} // namespace ipch::scenario_detail
