#include "junit_writer.hpp"

#include "text.hpp"

namespace ipch::junit {

Counts& Counts::operator+=(const Counts& other) {
    tests += other.tests;
    failures += other.failures;
    errors += other.errors;
    skipped += other.skipped;
    return *this;
}

pugi::xml_node start_document(pugi::xml_document& document, std::string_view name) {
    pugi::xml_node declaration = document.append_child(pugi::node_declaration);
    declaration.append_attribute("version").set_value("1.0");
    declaration.append_attribute("encoding").set_value("UTF-8");
    pugi::xml_node root = document.append_child("testsuites");
    add_attribute(root, "name", name);
    return root;
}

void add_attribute(pugi::xml_node node, const char* name, std::string_view raw) {
    node.append_attribute(name).set_value(xml_text(raw).c_str());
}

void set_text(pugi::xml_node node, std::string_view raw) {
    node.text().set(xml_text(raw).c_str());
}

void add_time(pugi::xml_node node, double seconds) {
    node.append_attribute("time").set_value(format_seconds(seconds).c_str());
}

void add_count_placeholders(pugi::xml_node node, bool with_skipped) {
    node.append_attribute("tests");
    node.append_attribute("failures");
    node.append_attribute("errors");
    if (with_skipped) node.append_attribute("skipped");
}

void set_counts(pugi::xml_node node, const Counts& counts, bool with_skipped) {
    node.attribute("tests").set_value(counts.tests);
    node.attribute("failures").set_value(counts.failures);
    node.attribute("errors").set_value(counts.errors);
    if (with_skipped) node.attribute("skipped").set_value(counts.skipped);
}

void save(const pugi::xml_document& document, std::ostream& out) {
    document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

} // namespace ipch::junit
