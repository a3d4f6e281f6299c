// Names, labels, messages and evidence come from scenario files and from agents that may be
// broken or hostile. Every report must stay well-formed, and keep the text visible but inert.
#include "console_report.hpp"
#include "json_report.hpp"
#include "junit_report.hpp"
#include "report_fixtures.hpp"
#include "text.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <sstream>

using ipch::test::hostile;

namespace {

template <typename Write>
std::string written(Write write) {
    std::ostringstream out;
    write(out);
    return out.str();
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// What every format shows of `hostile`: markup intact, invalid UTF-8 as \xNN.
void check_visible_parts(std::string_view text) {
    CHECK(contains(text, "a&b<c> ]]> \"dq\" 'sq' "));
    CHECK(contains(text, "\\xFF\\xFE"));
}

// The character data of a document written by pugixml: everything outside tags. Attribute values
// are always double-quoted with any '"' escaped, so a quote inside a tag toggles a value.
std::string character_data(std::string_view xml) {
    std::string text;
    bool in_tag = false;
    bool in_value = false;
    for (const char c : xml) {
        if (in_value) {
            in_value = c != '"';
        } else if (in_tag) {
            in_value = c == '"';
            in_tag = c != '>';
        } else if (c == '<') {
            in_tag = true;
        } else {
            text += c;
        }
    }
    return text;
}

// XML 1.0 allows these characters only; a character reference to any other is not well-formed
// either, though pugixml's lenient parser would accept one.
bool is_xml_char(char32_t c) {
    if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
    return (c < 0xD800 || c > 0xDFFF) && c != 0xFFFE && c != 0xFFFF && c <= 0x10FFFF;
}

// Only our own line breaks; nothing a terminal interprets (C0, DEL, C1, bidi controls).
bool is_inert_on_a_terminal(char32_t c) {
    if (c < 0x20) return c == '\n';
    return !(c >= 0x7F && c <= 0x9F) && !(c >= 0x202A && c <= 0x202E) &&
           !(c >= 0x2066 && c <= 0x2069);
}

// The code points of `text` that `allowed` rejects: one CHECK, and a failure that names them.
template <typename Allowed>
std::vector<std::uint32_t> rejected(std::string_view text, Allowed allowed) {
    std::vector<std::uint32_t> bad;
    for (const char32_t c : ipch::test::code_points(text))
        if (!allowed(c)) bad.push_back(c);
    return bad;
}

void check_well_formed_xml(const std::string& xml) {
    REQUIRE(ipch::test::is_valid_utf8(xml));
    CHECK(rejected(xml, is_xml_char).empty());
    const std::regex reference(R"(&#(x[0-9a-fA-F]+|[0-9]+);)");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), reference);
         it != std::sregex_iterator(); ++it) {
        const std::string number = (*it)[1].str();
        const auto value =
            number[0] == 'x' ? std::stoul(number.substr(1), nullptr, 16) : std::stoul(number);
        CHECK(is_xml_char(static_cast<char32_t>(value)));
    }
    // In character data "]]>" may only end a CDATA section, and we write none; in attribute values
    // it is legal, and pugixml leaves it as it is.
    CHECK_FALSE(contains(character_data(xml), "]]>"));
}

} // namespace

TEST_CASE("hostile names leave the JUnit report well-formed and readable", "[hostile][junit]") {
    const ipch::RunResults results = ipch::test::hostile_results();
    const std::string xml =
        written([&](std::ostream& out) { ipch::write_junit_report(out, results); });
    check_well_formed_xml(xml);

    pugi::xml_document document;
    REQUIRE(document.load_string(xml.c_str()));
    const pugi::xml_node suite = document.child("testsuites").child("testsuite");
    const std::string name = suite.attribute("name").value();
    CHECK(name == ipch::xml_text(hostile));
    check_visible_parts(name);
    CHECK(contains(name, "\\x1B[31mred"));
    CHECK(contains(name, "tab\there\nnewline")); // legal in XML, so kept
    CHECK(contains(name, "\\x01"));

    const pugi::xml_node failure = document.child("testsuites")
                                       .child("testsuite")
                                       .next_sibling()
                                       .child("testcase")
                                       .child("failure");
    REQUIRE(failure);
    check_visible_parts(failure.attribute("message").value());
    check_visible_parts(failure.text().get()); // the evidence: summary, agent, op label
    CHECK(contains(failure.text().get(), "\\x1B[31mred"));
}

TEST_CASE("hostile names leave the JSON report valid and readable", "[hostile][json]") {
    const ipch::RunResults results = ipch::test::hostile_results();
    const std::string text =
        written([&](std::ostream& out) { ipch::write_json_report(out, results); });
    REQUIRE(ipch::test::is_valid_utf8(text));
    // Pretty-printed: newlines only; the writer escapes every control character in strings.
    CHECK(rejected(text, [](char32_t c) { return c >= 0x20 || c == '\n'; }).empty());

    const nlohmann::json document = nlohmann::json::parse(text); // strict: throws on bad UTF-8
    CHECK(document["tool"]["version"] == ipch::json_text(hostile));
    const nlohmann::json& scenario = document["scenarios"][1];
    for (const nlohmann::json* field :
         {&scenario["name"], &scenario["path"], &scenario["run_id"], &scenario["agents"][0]["name"],
          &scenario["properties"][0]["detail"],
          &scenario["properties"][0]["evidence"][0]["summary"],
          &scenario["properties"][0]["evidence"][0]["events"][0]["agent"],
          &scenario["properties"][0]["evidence"][0]["events"][0]["op"],
          &document["scenarios"][3]["messages"][0]}) {
        const std::string value = field->get<std::string>();
        check_visible_parts(value);
        CHECK(contains(value, "\x01 \x1b[31m")); // JSON carries control characters, escaped
    }
}

TEST_CASE("hostile names cannot drive the terminal", "[hostile][console]") {
    const ipch::RunResults results = ipch::test::hostile_results();
    for (const bool verbose : {false, true}) {
        const std::string text = written([&](std::ostream& out) {
            ipch::write_console_report(out, results, {.verbose = verbose});
        });
        REQUIRE(ipch::test::is_valid_utf8(text));
        CHECK(rejected(text, is_inert_on_a_terminal).empty());
        check_visible_parts(text);
        CHECK(contains(text, "\\x1B[31mred"));
        CHECK(contains(text, "\\x01"));
        CHECK(contains(text, "tab\\x09here\\x0Anewline"));
        CHECK(contains(text, "\\xE2\\x80\\xAErtl"));
        CHECK(contains(text, "\\xC2\\x9B2J"));
    }
}
