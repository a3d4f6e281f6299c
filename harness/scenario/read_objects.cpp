// The named objects under test: the mapping and the mutex.
#include "ipch/mapping_layout.hpp"
#include "scenario/read_values.hpp"
#include "scenario/readers.hpp"

#include <array>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 3> mapping_keys{"name", "size", "kind"};
constexpr std::array<std::string_view, 2> mutex_keys{"kind", "name"};

std::optional<std::uint64_t> read_mapping_size(const Field& field, Diagnostics& diag) {
    if (!field.node.IsScalar()) {
        diag.error(field.pos, "mapping size must be a number of bytes such as 4096 or 4KiB; got " +
                                  describe(field.node));
        return std::nullopt;
    }
    const std::string& text = field.node.Scalar();
    std::uint64_t bytes = 0;
    const SizeParse parsed = parse_size(text, bytes);
    if (parsed == SizeParse::invalid) {
        diag.error(field.pos,
                   "invalid size '" + shown(text) + "'; expected " + std::string(size_form));
    } else if (parsed == SizeParse::too_large || bytes > max_mapping_size) {
        diag.error(field.pos, "mapping size " + shown(text) +
                                  " is too large; expected at most 1GiB (" +
                                  std::to_string(max_mapping_size) + " bytes)");
    } else if (bytes < min_mapping_size(0)) {
        // The shared header, at least one byte of message, and the tail guard.
        diag.error(field.pos, "mapping size " + shown(text) + " is too small; expected at least " +
                                  std::to_string(min_mapping_size(0)) + " bytes (the " +
                                  std::to_string(sizeof(MappingHeader)) +
                                  "-byte header, 1 payload byte and the " +
                                  std::to_string(guard_bytes) + "-byte tail guard)");
    } else {
        return bytes;
    }
    return std::nullopt;
}

// "0660" -> 0660: three or four octal digits, the mode as chmod takes it.
std::optional<std::uint32_t> parse_mode(const std::string& text) {
    if (text.size() < 3 || text.size() > 4) return std::nullopt;
    std::uint32_t mode = 0;
    for (const char c : text) {
        if (c < '0' || c > '7') return std::nullopt;
        mode = mode * 8 + static_cast<std::uint32_t>(c - '0');
    }
    return mode;
}

} // namespace

std::optional<std::uint32_t> read_permissions(const Field& field, Diagnostics& diag) {
    constexpr const char* expected = "expected an octal mode from 0600 to 0777 that keeps the "
                                     "owner's read and write bits, such as 0600 or 0660";
    if (!field.node.IsScalar()) {
        diag.error(field.pos, "permissions must be a mode; " + std::string(expected) + "; got " +
                                  describe(field.node));
        return std::nullopt;
    }
    const std::string& text = field.node.Scalar();
    const std::optional<std::uint32_t> mode = parse_mode(text);
    // The agents open what their fellow agents create, read-write and as the same user; the
    // setuid, setgid and sticky bits mean nothing to these objects.
    if (!mode || (*mode & 0600) != 0600 || *mode > 0777) {
        diag.error(field.pos, "invalid permissions '" + shown(text) + "'; " + expected);
        return std::nullopt;
    }
    return mode;
}

MappingSpec read_mapping(const Field& field, Diagnostics& diag) {
    MappingSpec spec;
    if (!check_map(field, "a map with name, size and kind", diag)) return spec;
    const MapReader map(field.node, mapping_keys, "in mapping", diag);
    if (const auto name = map.find("name"))
        spec.name = read_object_name(*name, "mapping name", diag);
    if (const auto size = map.find("size"))
        spec.size = read_mapping_size(*size, diag).value_or(spec.size);
    if (const auto kind = map.find("kind"))
        spec.kind = read_choice(*kind, "mapping kind", all_mapping_kinds, diag).value_or(spec.kind);
    return spec;
}

MutexSpec read_mutex(const Field& field, Diagnostics& diag) {
    MutexSpec spec;
    if (!check_map(field, "a map with kind and name", diag)) return spec;
    const MapReader map(field.node, mutex_keys, "in mutex", diag);
    if (const auto kind = map.find("kind"))
        spec.kind = read_choice(*kind, "mutex kind", all_mutex_kinds, diag).value_or(spec.kind);
    const auto name = map.find("name");
    if (name) spec.name = read_object_name(*name, "mutex name", diag);
    // A name that names nothing would read as if it mattered (and be locked against other runs).
    if (name && lives_in_mapping(spec.kind))
        diag.error(name->pos, "mutex kind '" + std::string(to_string(spec.kind)) +
                                  "' lives in the mapping's lock area and has no name; expected "
                                  "no name, or a kind with one (named_mutex, named_semaphore, "
                                  "file_lock)");
    return spec;
}

} // namespace ipch::scenario_detail
