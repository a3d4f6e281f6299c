#include "report_fixtures.hpp"
#include "text.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <random>

using ipch::sanitize;
using ipch::TextSink;

TEST_CASE("sanitize keeps well-formed UTF-8 for every sink", "[text]") {
    const std::string text = "plain \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 a&b<c>";
    for (const TextSink sink : {TextSink::json, TextSink::xml, TextSink::console})
        CHECK(sanitize(text, sink) == text);
}

TEST_CASE("sanitize shows each byte that is not UTF-8 as a hex escape", "[text]") {
    for (const TextSink sink : {TextSink::json, TextSink::xml, TextSink::console}) {
        CHECK(sanitize("\xff\xfe", sink) == "\\xFF\\xFE");
        CHECK(sanitize("\xc0\xaf", sink) == "\\xC0\\xAF");                   // overlong '/'
        CHECK(sanitize("\xed\xa0\x80", sink) == "\\xED\\xA0\\x80");          // a surrogate
        CHECK(sanitize("\xf4\x90\x80\x80", sink) == "\\xF4\\x90\\x80\\x80"); // above U+10FFFF
        CHECK(sanitize("ok\xe2\x82", sink) == "ok\\xE2\\x82");               // truncated at the end
        CHECK(sanitize("\x80"
                       "a",
                       sink) == "\\x80a"); // resynchronises
    }
}

TEST_CASE("sanitize for XML keeps only XML 1.0 characters", "[text]") {
    CHECK(sanitize("a\tb\nc\rd", TextSink::xml) == "a\tb\nc\rd");
    CHECK(sanitize("a\x01"
                   "b\x1b"
                   "c",
                   TextSink::xml) == "a\\x01b\\x1Bc");
    CHECK(sanitize(std::string("a\0b", 3), TextSink::xml) == "a\\x00b");
    CHECK(sanitize("\xef\xbf\xbe\xef\xbf\xbf", TextSink::xml) == "\\xEF\\xBF\\xBE\\xEF\\xBF\\xBF");
    CHECK(sanitize("\x7f", TextSink::xml) == "\x7f"); // DEL is a legal XML 1.0 character
}

TEST_CASE("sanitize for JSON keeps control characters, which the writer escapes", "[text]") {
    CHECK(sanitize("a\x01\x1b"
                   "b",
                   TextSink::json) == "a\x01\x1b"
                                      "b");
    CHECK(sanitize("\xef\xbf\xbe", TextSink::json) == "\xef\xbf\xbe");
}

TEST_CASE("sanitize for the console leaves nothing that drives a terminal", "[text]") {
    CHECK(sanitize("\x1b[2J", TextSink::console) == "\\x1B[2J");
    CHECK(sanitize("a\tb\nc\r", TextSink::console) == "a\\x09b\\x0Ac\\x0D");
    CHECK(sanitize("\x7f", TextSink::console) == "\\x7F");
    CHECK(sanitize("\xc2\x9b"
                   "2J",
                   TextSink::console) == "\\xC2\\x9B2J"); // C1 CSI
    CHECK(sanitize("\xe2\x80\xae"
                   "x",
                   TextSink::console) == "\\xE2\\x80\\xAEx"); // RLO
    CHECK(sanitize("\xe2\x81\xa6"
                   "x",
                   TextSink::console) == "\\xE2\\x81\\xA6x");     // LRI
    CHECK(sanitize("\xc2\xa0", TextSink::console) == "\xc2\xa0"); // no-break space is harmless
}

TEST_CASE("sanitized hostile text is valid UTF-8 in every sink", "[text]") {
    for (const TextSink sink : {TextSink::json, TextSink::xml, TextSink::console})
        CHECK(ipch::test::is_valid_utf8(sanitize(ipch::test::hostile, sink)));
}

TEST_CASE("numbers are formatted the same whatever the locale", "[text]") {
    CHECK(ipch::format_seconds(1.25) == "1.250");
    CHECK(ipch::format_seconds(0) == "0.000");
    CHECK(ipch::format_seconds(12345.6789) == "12345.679");
    CHECK(ipch::format_seconds(std::numeric_limits<double>::quiet_NaN()) == "0.000");
    CHECK(ipch::format_hex64(0xdeadbeef) == "0x00000000deadbeef");
    CHECK(ipch::format_hex64(~0ULL) == "0xffffffffffffffff");
    CHECK(ipch::format_hex64(0) == "0x0000000000000000");
}

TEST_CASE("identifiers read as words", "[text]") {
    CHECK(ipch::as_words("control-caught") == "control caught");
    CHECK(ipch::as_words("must-hold") == "must hold");
    CHECK(ipch::as_words("not_applicable") == "not applicable");
}

TEST_CASE("event flags are named in bit order, unknown bits by number", "[text]") {
    using namespace ipch::event_flag;
    CHECK(ipch::event_flag_names(critical_section | torn | (1u << 20)) ==
          std::vector<std::string>{"critical_section", "torn", "bit-20"});
    CHECK(ipch::event_flag_names(0).empty());
    CHECK(ipch::event_flag_names(expect) == std::vector<std::string>{"expect"});
}

TEST_CASE("outcomes are counted in table order, zeros included", "[text]") {
    const auto counts = ipch::count_outcomes(ipch::test::sample_results());
    REQUIRE(counts.size() == 6);
    CHECK(counts[0].info->outcome == ipch::ScenarioOutcome::passed);
    CHECK(counts[0].count == 1);
    CHECK(counts[2].info->outcome == ipch::ScenarioOutcome::failed);
    CHECK(counts[3].count == 0);
    CHECK(counts[5].info->outcome == ipch::ScenarioOutcome::harness_error);
}

TEST_CASE("sanitize agrees with an independent UTF-8 validator on arbitrary bytes", "[text]") {
    // Every 1- and 2-byte string, then random 4-byte strings biased towards the multi-byte
    // ranges: whatever comes in, valid UTF-8 comes out, and valid input passes unchanged.
    std::vector<std::string> inputs;
    for (int a = 0; a < 256; ++a) {
        inputs.push_back(std::string(1, static_cast<char>(a)));
        for (int b = 0; b < 256; ++b)
            inputs.push_back({static_cast<char>(a), static_cast<char>(b)});
    }
    std::minstd_rand random(20240501); // fixed seed: a failure reproduces
    for (int i = 0; i < 200000; ++i) {
        std::string input;
        for (int k = 0; k < 4; ++k)
            input += static_cast<char>(0x7F + random() % 0x81);
        inputs.push_back(input);
    }
    std::vector<std::string> disagreements;
    for (const std::string& input : inputs) {
        const std::string output = sanitize(input, TextSink::json);
        const bool kept = output == input;
        if (!ipch::test::is_valid_utf8(output) || kept != ipch::test::is_valid_utf8(input))
            disagreements.push_back(sanitize(input, TextSink::console));
    }
    CHECK(disagreements.empty());
}
