// A thin layer over yaml-cpp nodes for the scenario loader: 1-based positions, every problem
// collected, and the map checks yaml-cpp leaves to us. yaml-cpp 0.7 keeps a duplicate key
// silently (lookups see the first) and has no position for a key that is absent, so MapReader
// reports duplicates at their second occurrence and missing keys at the map that lacks them.
#pragma once

#include "scenario.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace ipch::scenario_detail {

// The problems found in one file.
class Diagnostics {
  public:
    explicit Diagnostics(std::string file) : file_(std::move(file)) {}

    SourcePos pos(const YAML::Mark& mark) const;
    SourcePos pos(const YAML::Node& node) const { return pos(node.Mark()); }
    // Line 1, column 1: where problems of the whole file point, so every message has one.
    SourcePos file_pos() const { return {file_, 1, 1}; }

    // `what` reads "what is wrong; expected ..."; the message gets its "error: " here.
    void error(const SourcePos& pos, const std::string& what);
    bool has_errors() const { return !errors_.empty(); }

    // Every problem in file order. A node reached twice through a YAML alias would report the
    // same problem twice; those repeats are dropped.
    std::vector<ScenarioError> take_sorted();

  private:
    std::string file_;
    std::vector<ScenarioError> errors_;
};

// A value to read: the name messages call it by and the position they point at.
struct Field {
    std::string name;
    YAML::Node node;
    SourcePos pos;
};

// The node as a message shows it after "got": a scalar as written (quoted when it was quoted
// in the file), "a map", "a list" or "nothing".
std::string describe(const YAML::Node& node);

// A scalar's text for a message, shortened and with control characters escaped.
std::string shown(std::string_view text);

// One character for a message. A byte above ASCII is shown as hex: one byte of a UTF-8
// sequence is not printable alone.
std::string shown_char(char c);

// A scalar written without quotes or tag: the only kind that may be read as a number or bool.
bool is_plain_scalar(const YAML::Node& node);

// Reports "`name` must be `form`; got ..." unless the field holds a map / a list.
bool check_map(const Field& field, std::string_view form, Diagnostics& diag);
bool check_list(const Field& field, std::string_view form, Diagnostics& diag);

// One map's entries, checked once when made: every key a string, none given twice, and each
// one of `known_keys` (unless that is empty: an op's map, whose key is the op's name).
class MapReader {
  public:
    struct Entry {
        std::string key;
        Field value;
        SourcePos key_pos;
    };

    // `where` completes "unknown key 'x' ...", e.g. "at the top level" or "in mapping".
    MapReader(const YAML::Node& map, std::span<const std::string_view> known_keys,
              std::string where, Diagnostics& diag);

    // The value of `key`, if the map has it.
    std::optional<Field> find(std::string_view key) const;

    // The value of `key`; when the map lacks it, reports that at the map's own position.
    // `expected` says what the key should hold, e.g. "a list of agents".
    std::optional<Field> require(std::string_view key, std::string_view expected) const;

    // The distinct known keys, in file order.
    const std::vector<Entry>& entries() const { return entries_; }

  private:
    void add(const YAML::Node& key, const YAML::Node& value,
             std::span<const std::string_view> known_keys);

    std::vector<Entry> entries_;
    std::map<std::string, int> first_lines_; // every key seen, known or not, for duplicates
    std::vector<std::string> misspelled_;    // known keys that an unknown key probably meant
    SourcePos pos_;
    std::string where_;
    Diagnostics& diag_;
};

} // namespace ipch::scenario_detail
