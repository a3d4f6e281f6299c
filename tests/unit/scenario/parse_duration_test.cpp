#include "scenario.hpp"

#include <catch2/catch.hpp>

using ipch::parse_duration_ns;

TEST_CASE("durations in every unit", "[scenario][duration]") {
    CHECK(parse_duration_ns("100ns") == 100u);
    CHECK(parse_duration_ns("10us") == 10'000u);
    CHECK(parse_duration_ns("250ms") == 250'000'000u);
    CHECK(parse_duration_ns("5s") == 5'000'000'000u);
    CHECK(parse_duration_ns("2m") == 120'000'000'000u);
    CHECK(parse_duration_ns("0s") == 0u);
    CHECK(parse_duration_ns("007ms") == 7'000'000u);
}

TEST_CASE("decimal durations are exact to the nanosecond", "[scenario][duration]") {
    CHECK(parse_duration_ns("1.5s") == 1'500'000'000u);
    // 0.1 has no exact binary form; the parser must not round it down to 99999999.
    CHECK(parse_duration_ns("0.1s") == 100'000'000u);
    CHECK(parse_duration_ns("0.3ms") == 300'000u);
    CHECK(parse_duration_ns("1.25us") == 1'250u);
    CHECK(parse_duration_ns("0.5m") == 30'000'000'000u);
    CHECK(parse_duration_ns("1.000000001s") == 1'000'000'001u);
    // Finer than a nanosecond: rounded down.
    CHECK(parse_duration_ns("1.9ns") == 1u);
    CHECK(parse_duration_ns("0.0000000001s") == 0u);
    CHECK(parse_duration_ns("0.12345678901234567890123m") == 7'407'407'340u);
}

TEST_CASE("invalid durations", "[scenario][duration]") {
    for (const char* text :
         {"",     "5", "1.5", "5 s", " 5s",    "5s ",   "-5s",  "+5s",   "5 parsecs", "5h",  "5S",
          "5sec", "s", ".5s", "5.s", "1.2.3s", "1e3ms", "5ms5", "0x10s", "five s",    "5 ms"}) {
        INFO("'" << text << "'");
        CHECK_FALSE(parse_duration_ns(text).has_value());
    }
}

TEST_CASE("durations that overflow 64 bits of nanoseconds are invalid", "[scenario][duration]") {
    CHECK(parse_duration_ns("18446744073709551615ns") == 18446744073709551615u);
    CHECK_FALSE(parse_duration_ns("18446744073709551616ns").has_value());
    CHECK_FALSE(parse_duration_ns("18446744074s").has_value());
    CHECK_FALSE(parse_duration_ns("99999999999999999999999999m").has_value());
    // The whole seconds fit; the fraction tips them over by one nanosecond.
    CHECK(parse_duration_ns("18446744073.709551615s") == 18446744073709551615u);
    CHECK_FALSE(parse_duration_ns("18446744073.709551616s").has_value());
}
