#include "scenario/yaml_reader.hpp"

#include "scenario/word_lists.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>

namespace ipch::scenario_detail {

SourcePos Diagnostics::pos(const YAML::Mark& mark) const {
    // yaml-cpp counts from 0 and marks "no position" with -1.
    if (mark.is_null() || mark.line < 0 || mark.column < 0) return file_pos();
    return {file_, mark.line + 1, mark.column + 1};
}

void Diagnostics::error(const SourcePos& pos, const std::string& what) {
    errors_.push_back({pos, "error: " + what});
}

std::vector<ScenarioError> Diagnostics::take_sorted() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const auto& a, const auto& b) {
        return std::tie(a.pos.line, a.pos.column) < std::tie(b.pos.line, b.pos.column);
    });
    std::set<std::tuple<int, int, std::string>> seen;
    std::vector<ScenarioError> out;
    for (ScenarioError& error : errors_)
        if (seen.emplace(error.pos.line, error.pos.column, error.message).second)
            out.push_back(std::move(error));
    errors_.clear();
    return out;
}

std::string shown(std::string_view text) {
    constexpr std::size_t longest = 40;
    std::size_t cut = std::min(text.size(), longest);
    // Never cut a UTF-8 sequence in two: back off to the start of the character.
    while (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
        --cut;
    std::string out;
    for (char c : text.substr(0, cut)) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (byte < 0x20 || byte == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
            out += escaped;
        } else
            out += c;
    }
    if (cut < text.size()) out += "...";
    return out;
}

std::string shown_char(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) return shown(std::string_view(&c, 1));
    char escaped[8];
    std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
    return escaped;
}

bool is_plain_scalar(const YAML::Node& node) {
    // yaml-cpp tags an untagged plain scalar "?" and a quoted or block scalar "!".
    return node.IsScalar() && node.Tag() == "?";
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Map:
        return "a map";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Scalar:
        if (is_plain_scalar(node)) return shown(node.Scalar());
        return "\"" + shown(node.Scalar()) + "\"";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        break;
    }
    return "nothing";
}

bool check_map(const Field& field, std::string_view form, Diagnostics& diag) {
    if (field.node.IsMap()) return true;
    diag.error(field.pos,
               field.name + " must be " + std::string(form) + "; got " + describe(field.node));
    return false;
}

bool check_list(const Field& field, std::string_view form, Diagnostics& diag) {
    if (field.node.IsSequence()) return true;
    diag.error(field.pos,
               field.name + " must be " + std::string(form) + "; got " + describe(field.node));
    return false;
}

MapReader::MapReader(const YAML::Node& map, std::span<const std::string_view> known_keys,
                     std::string where, Diagnostics& diag)
    : pos_(diag.pos(map)), where_(std::move(where)), diag_(diag) {
    for (auto it = map.begin(); it != map.end(); ++it)
        add(it->first, it->second, known_keys);
}

void MapReader::add(const YAML::Node& key, const YAML::Node& value,
                    std::span<const std::string_view> known_keys) {
    const SourcePos key_pos = diag_.pos(key);
    if (!key.IsScalar()) {
        diag_.error(key_pos, "a key " + where_ + " must be a string; got " + describe(key));
        return;
    }
    const std::string& name = key.Scalar();
    const auto [first, added] = first_lines_.emplace(name, key_pos.line);
    if (!added) {
        diag_.error(key_pos, "duplicate key '" + shown(name) + "' (first at line " +
                                 std::to_string(first->second) + ")");
        return;
    }
    if (!known_keys.empty() &&
        std::find(known_keys.begin(), known_keys.end(), name) == known_keys.end()) {
        std::string what = "unknown key '" + shown(name) + "' " + where_;
        const std::string_view close = closest_word(name, known_keys);
        if (!close.empty()) {
            what += " (did you mean '" + std::string(close) + "'?)";
            misspelled_.emplace_back(close);
        }
        diag_.error(key_pos, what + "; expected one of: " + join_words(known_keys));
        return;
    }
    // An empty value has no position of its own (yaml-cpp gives the next token's); its key does.
    const SourcePos value_pos = value.IsNull() ? key_pos : diag_.pos(value);
    entries_.push_back({name, Field{name, value, value_pos}, key_pos});
}

std::optional<Field> MapReader::find(std::string_view key) const {
    for (const Entry& entry : entries_)
        if (entry.key == key) return entry.value;
    return std::nullopt;
}

std::optional<Field> MapReader::require(std::string_view key, std::string_view expected) const {
    std::optional<Field> field = find(key);
    // A misspelled required key is one mistake: "unknown key 'agnets'" already names it.
    const bool misspelled =
        std::find(misspelled_.begin(), misspelled_.end(), key) != misspelled_.end();
    if (!field && !misspelled)
        diag_.error(pos_, "missing required key '" + std::string(key) + "' " + where_ +
                              "; expected " + std::string(expected));
    return field;
}

} // namespace ipch::scenario_detail
