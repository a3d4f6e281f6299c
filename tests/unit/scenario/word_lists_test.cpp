#include "scenario/word_lists.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <string_view>

using ipch::scenario_detail::closest_word;
using ipch::scenario_detail::join_words;

namespace {
constexpr std::array<std::string_view, 5> keys{"name", "timeout", "reuse", "agents", "expect"};
}

TEST_CASE("join_words", "[scenario]") {
    CHECK(join_words(keys) == "name, timeout, reuse, agents, expect");
    CHECK(join_words(std::span<const std::string_view>{}).empty());
}

TEST_CASE("closest_word suggests likely misspellings only", "[scenario]") {
    CHECK(closest_word("timout", keys) == "timeout");  // a letter left out
    CHECK(closest_word("timeuot", keys) == "timeout"); // two letters swapped
    CHECK(closest_word("agnets", keys) == "agents");
    CHECK(closest_word("Name", keys) == "name");
    CHECK(closest_word("expected", keys) == "expect");
    CHECK(closest_word("colour", keys).empty());
    CHECK(closest_word("x", keys).empty());
    CHECK(closest_word("nm", keys).empty()); // two edits from a four-letter word is anything
}
