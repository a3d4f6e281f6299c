// Lists of words for messages: "one of: a, b, c" and "did you mean 'b'?".
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ipch::scenario_detail {

// "a, b, c"
std::string join_words(std::span<const std::string_view> words);

// The choice closest to `word` when it is a likely misspelling of it (a typo or two, a swapped
// pair of letters); empty when none is close enough to be worth suggesting.
std::string_view closest_word(std::string_view word, std::span<const std::string_view> choices);

} // namespace ipch::scenario_detail
