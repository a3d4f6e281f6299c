#include "scenario/references.hpp"

#include "scenario/word_lists.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

// A scalar's text in pieces: literal text, and the names of the references between them.
struct Piece {
    bool reference = false;
    std::string text; // the literal text, or the parameter's name
};

struct Scan {
    std::vector<Piece> pieces;
    std::vector<std::string> malformed; // each as written, from its "${"
    bool changes = false;               // a reference or an escape: the text is rewritten
};

bool is_name_start(char c) {
    return c >= 'a' && c <= 'z';
}

bool is_name_char(char c) {
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '_';
}

void add_literal(Scan& scan, std::string_view text) {
    if (scan.pieces.empty() || scan.pieces.back().reference) scan.pieces.push_back({false, ""});
    scan.pieces.back().text += text;
}

// The length of a well-formed reference at the start of `text` ("${name}"), or 0.
std::size_t reference_length(std::string_view text) {
    if (text.size() < 4 || !is_name_start(text[2])) return 0;
    std::size_t end = 3;
    while (end < text.size() && is_name_char(text[end]))
        ++end;
    return end < text.size() && text[end] == '}' ? end + 1 : 0;
}

Scan scan(std::string_view text) {
    Scan result;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::string_view rest = text.substr(i);
        if (rest.starts_with("$${")) {
            add_literal(result, "${");
            result.changes = true;
            i += 3;
        } else if (rest.starts_with("${")) {
            if (const std::size_t length = reference_length(rest); length > 0) {
                result.pieces.push_back({true, std::string(rest.substr(2, length - 3))});
                result.changes = true;
                i += length;
            } else {
                const std::size_t close = rest.find('}');
                result.malformed.emplace_back(
                    rest.substr(0, close == std::string_view::npos ? rest.size() : close + 1));
                add_literal(result, "${");
                i += 2;
            }
        } else {
            add_literal(result, rest.substr(0, 1));
            ++i;
        }
    }
    return result;
}

// Visits every distinct scalar of a document, keys included, outside its top-level `matrix`.
// An alias makes one node reachable from many places (in an alias bomb, exponentially many):
// each node is entered once. yaml-cpp 0.7 gives a node no identity but Node::is, so nodes are
// remembered by where they start, and compared with is() among those starting there.
class ScalarWalk {
  public:
    explicit ScalarWalk(std::function<void(YAML::Node&)> visit) : visit_(std::move(visit)) {}

    void walk(YAML::Node node, bool top_level) {
        if (!first_visit(node)) return;
        if (node.IsScalar()) {
            visit_(node);
        } else if (node.IsSequence()) {
            for (YAML::Node item : node)
                walk(item, false);
        } else if (node.IsMap()) {
            for (auto it = node.begin(); it != node.end(); ++it) {
                if (top_level && it->first.IsScalar() && it->first.Scalar() == "matrix") continue;
                walk(it->first, false);
                walk(it->second, false);
            }
        }
    }

  private:
    bool first_visit(const YAML::Node& node) {
        std::vector<YAML::Node>& same_start = seen_[node.Mark().pos];
        for (const YAML::Node& seen : same_start)
            if (seen.is(node)) return false;
        same_start.push_back(node);
        return true;
    }

    std::function<void(YAML::Node&)> visit_;
    std::map<int, std::vector<YAML::Node>> seen_;
};

const MatrixParameter* find_parameter(const Matrix& matrix, std::string_view name) {
    for (const MatrixParameter& parameter : matrix.parameters)
        if (parameter.name == name) return &parameter;
    return nullptr;
}

std::string unknown_parameter(const std::string& name, const Matrix& matrix) {
    std::vector<std::string_view> names;
    for (const MatrixParameter& parameter : matrix.parameters)
        names.push_back(parameter.name);
    std::string what = "unknown matrix parameter '" + name + "'";
    const std::string_view close = closest_word(name, names);
    if (!close.empty()) what += " (did you mean '" + std::string(close) + "'?)";
    return what + "; expected one of: " + join_words(names);
}

std::string no_matrix(const std::string& name) {
    return "'${" + name +
           "}' refers to a matrix parameter, but the file has no matrix; "
           "expected a top-level matrix that lists values for '" +
           name + "', or $${ for a literal '${'";
}

} // namespace

std::set<std::pair<int, int>> check_references(const YAML::Node& root, const Matrix* matrix,
                                               bool has_matrix, Diagnostics& diag) {
    std::set<std::pair<int, int>> positions;
    std::set<std::string> used;
    ScalarWalk walk([&](YAML::Node& node) {
        const Scan found = scan(node.Scalar());
        if (!found.changes && found.malformed.empty()) return;
        const SourcePos pos = diag.pos(node);
        positions.emplace(pos.line, pos.column);
        for (const std::string& text : found.malformed)
            diag.error(pos, "malformed parameter reference '" + shown(text) +
                                "'; expected ${name}, the name a lower-case letter, then "
                                "letters, digits or '_'; or $${ for a literal '${'");
        for (const Piece& piece : found.pieces) {
            if (!piece.reference) continue;
            used.insert(piece.text);
            if (!has_matrix)
                diag.error(pos, no_matrix(piece.text));
            else if (matrix != nullptr && find_parameter(*matrix, piece.text) == nullptr)
                diag.error(pos, unknown_parameter(piece.text, *matrix));
        }
    });
    walk.walk(root, true);
    if (matrix != nullptr)
        for (const MatrixParameter& parameter : matrix->parameters)
            if (!used.contains(parameter.name))
                diag.error(parameter.pos, "matrix parameter '" + parameter.name +
                                              "' is never used; expected ${" + parameter.name +
                                              "} somewhere outside the matrix");
    return positions;
}

void substitute_references(YAML::Node& root, const Matrix& matrix, const MatrixCase& one_case) {
    const auto value_of = [&](const std::string& name) -> const MatrixValue& {
        const MatrixParameter* parameter = find_parameter(matrix, name);
        const auto index = static_cast<std::size_t>(parameter - matrix.parameters.data());
        return parameter->values[one_case[index]];
    };
    ScalarWalk walk([&](YAML::Node& node) {
        const Scan found = scan(node.Scalar());
        if (!found.changes) return;
        if (found.pieces.size() == 1 && found.pieces[0].reference) {
            // The whole scalar: the value as written, its plainness (or tag) included.
            const MatrixValue& value = value_of(found.pieces[0].text);
            node = value.text; // set_scalar: the node keeps its position
            node.SetTag(value.tag);
            return;
        }
        std::string text;
        for (const Piece& piece : found.pieces)
            text += piece.reference ? value_of(piece.text).text : piece.text;
        node = text;
    });
    walk.walk(root, true);
}

} // namespace ipch::scenario_detail
