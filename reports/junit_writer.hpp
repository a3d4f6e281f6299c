// What every JUnit XML document of ours shares (the run's report and conformance's): the
// document and its <testsuites> root, attributes and text made safe for XML, times, and the
// counts a suite carries before its test cases.
#pragma once

#include <cstddef>
#include <ostream>
#include <pugixml.hpp>
#include <string_view>

namespace ipch::junit {

struct Counts {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t errors = 0;
    std::size_t skipped = 0;

    Counts& operator+=(const Counts& other);
};

// The XML declaration and the <testsuites name="NAME"> root.
pugi::xml_node start_document(pugi::xml_document& document, std::string_view name);

// Every attribute and text goes through xml_text: pugixml escapes markup (& < > ") but would
// write a control character as a character reference that XML 1.0 forbids.
void add_attribute(pugi::xml_node node, const char* name, std::string_view raw);
void set_text(pugi::xml_node node, std::string_view raw);

// Only 3 decimal places because the Surefire schema demands it (and some readers reject more).
void add_time(pugi::xml_node node, double seconds);

// pugixml keeps attributes in insertion order; the counts are known only after the test cases
// are written, so they are appended first as placeholders and filled in by set_counts.
void add_count_placeholders(pugi::xml_node node, bool with_skipped);
void set_counts(pugi::xml_node node, const Counts& counts, bool with_skipped);

void save(const pugi::xml_document& document, std::ostream& out);

} // namespace ipch::junit
