#include "scenario/read_document.hpp"

#include <algorithm>
#include <sstream>
#include <string_view>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

namespace ipch::scenario_detail {

namespace {

// Where a document's top-level value starts, and whether it has one at all.
class RootFinder : public YAML::EventHandler {
  public:
    bool has_value() const { return found_ && !null_; }
    const YAML::Mark& mark() const { return mark_; }
    const YAML::Mark& document_mark() const { return document_mark_; }

    void OnDocumentStart(const YAML::Mark& mark) override {
        found_ = false;
        document_mark_ = mark;
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { root(mark, true); }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { root(mark, false); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  const std::string&) override {
        root(mark, false);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                         YAML::EmitterStyle::value) override {
        root(mark, false);
    }
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                    YAML::EmitterStyle::value) override {
        root(mark, false);
    }
    void OnMapEnd() override {}

  private:
    void root(const YAML::Mark& mark, bool null) {
        if (found_) return;
        found_ = true;
        mark_ = mark;
        null_ = null;
    }

    bool found_ = false;
    bool null_ = false;
    YAML::Mark mark_;
    YAML::Mark document_mark_;
};

// Only blank lines and comments: an empty file, rather than content yaml-cpp read as nothing.
bool is_blank(std::string_view text) {
    while (!text.empty()) {
        const std::size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = text.substr(0, end);
        const std::size_t first = line.find_first_not_of(" \t\r");
        if (first != std::string_view::npos && line[first] != '#') return false;
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    return true;
}

// Where a second document starts, if the text has one. Not YAML::LoadAll: in yaml-cpp 0.7 it
// loops forever, allocating, on text such as "," (a parse that consumes nothing yields an empty
// document, again and again; fixed upstream in yaml-cpp PR #1319). Looking at one document
// past the first avoids the loop; an empty one (a trailing "---") is harmless.
std::optional<YAML::Mark> second_document(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    RootFinder finder;
    if (!parser.HandleNextDocument(finder)) return std::nullopt; // the first document
    if (!parser.HandleNextDocument(finder)) return std::nullopt;
    if (finder.has_value()) return finder.mark();
    // Empty as yaml-cpp reads it, but maybe not empty as written (a stray ",").
    const YAML::Mark start = finder.document_mark();
    if (start.pos < 0 || static_cast<std::size_t>(start.pos) >= text.size()) return std::nullopt;
    std::string_view rest = std::string_view(text).substr(static_cast<std::size_t>(start.pos));
    if (rest.starts_with("---")) rest.remove_prefix(3);
    if (is_blank(rest)) return std::nullopt;
    return start;
}

// Line `index` (0-based) of the text, without its newline.
std::string_view line_at(std::string_view text, int index) {
    for (int i = 0; i < index && !text.empty(); ++i) {
        const std::size_t end = text.find('\n');
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    }
    return text.substr(0, std::min(text.find('\n'), text.size()));
}

// yaml-cpp's messages name the grammar, not the usual slip behind them: say which it probably is.
std::string syntax_hint(std::string_view text, const YAML::Mark& mark) {
    if (mark.line < 0) return {};
    for (int line = std::max(mark.line - 1, 0); line <= mark.line; ++line) {
        const std::string_view content = line_at(text, line);
        const std::size_t indent = content.find_first_not_of(" \t");
        if (content.substr(0, std::min(indent, content.size())).find('\t') !=
            std::string_view::npos)
            return "; line " + std::to_string(line + 1) +
                   " is indented with a tab, which YAML does not allow: indent with spaces";
    }
    const std::string_view content = line_at(text, mark.line);
    if (content.find("${") != std::string_view::npos &&
        content.find_first_of("{[") < content.find("${"))
        return "; a matrix reference inside {...} or [...] must be quoted: \"${name}\"";
    return {};
}

} // namespace

std::optional<YAML::Node> read_document(const std::string& text, Diagnostics& diag) {
    YAML::Node root;
    std::optional<YAML::Mark> second;
    try {
        root = YAML::Load(text);
        second = second_document(text);
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp 0.7 gives this one the message "bad file", which would only mislead.
        diag.error(diag.pos(e.mark), "YAML syntax error: lists and maps nested too deeply for "
                                     "the parser; expected far fewer levels");
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        diag.error(diag.pos(e.mark), "YAML syntax error: " + e.msg + syntax_hint(text, e.mark));
        return std::nullopt;
    }
    if (root.IsNull()) {
        diag.error(diag.file_pos(),
                   is_blank(text)
                       ? "the file is empty; expected a scenario: a map with at least 'agents'"
                       : "the file holds no YAML value; expected a scenario: a map with at least "
                         "'agents'");
        return std::nullopt;
    }
    if (second)
        diag.error(diag.pos(*second), "a second YAML document; expected one scenario per file");
    const Field top{"the top level", root, diag.pos(root)};
    if (!check_map(top, "a map of scenario keys such as 'agents'", diag)) return std::nullopt;
    return root;
}

} // namespace ipch::scenario_detail
