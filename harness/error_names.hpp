// The errors a scenario may expect an op to record (`expect: errors:`), by name: the one table
// the loader validates against, progress and evaluation match with, and docs/scenarios.md lists.
// Header-only because the scenario loader and the checker are separate libraries and both
// need it.
#pragma once

#include "ipch/event_log.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ipch {

struct ErrorName {
    std::string_view name;             // as a scenario writes it: "not found"
    std::array<std::int32_t, 2> codes; // errno or event_error values it stands for (0: unused)
    std::string_view meaning;          // for docs and messages
};

// Named rather than numbered, because errno numbers differ between systems and strerror's text
// between C libraries and locales; an error not listed here cannot be expected (it fails
// progress, as any failed op does).
inline constexpr std::array<ErrorName, 8> error_names{{
    {"not found", {ENOENT, 0}, "the named object does not exist (ENOENT)"},
    {"already exists", {EEXIST, 0}, "the named object exists already (EEXIST)"},
    {"permission denied", {EACCES, EPERM}, "the object's permissions refuse it (EACCES, EPERM)"},
    {"invalid argument", {EINVAL, 0}, "the object is not what the op needs (EINVAL)"},
    {"too large", {event_error::too_large, 0}, "a write larger than the mapping's payload"},
    {"not open", {event_error::not_open, 0}, "an op that needs the objects, before open"},
    {"not held", {event_error::not_held, 0}, "an unlock without holding the lock"},
    {"barrier broken", {event_error::barrier_broken, 0}, "a barrier participant ended early"},
}};

inline const ErrorName* find_error_name(std::string_view name) {
    const auto it = std::find_if(error_names.begin(), error_names.end(),
                                 [&](const ErrorName& e) { return e.name == name; });
    return it == error_names.end() ? nullptr : &*it;
}

// Whether an event's error code is the named error; false for a name not in the table.
inline bool error_matches(std::string_view name, std::int32_t code) {
    const ErrorName* error = find_error_name(name);
    return error != nullptr && code != 0 &&
           std::find(error->codes.begin(), error->codes.end(), code) != error->codes.end();
}

// The name of an error code, or "" when the table has none for it.
inline std::string_view error_name_of(std::int32_t code) {
    for (const ErrorName& error : error_names)
        if (code != 0 &&
            std::find(error.codes.begin(), error.codes.end(), code) != error.codes.end())
            return error.name;
    return {};
}

// An event's error for a person: what it means, then the scenario's name for it and its number,
// e.g. "No such file or directory (not found, errno 2)", "a write larger than the mapping's
// payload (too large, ipch error 10001)". Evidence and reports both use it.
inline std::string error_text(std::int32_t code) {
    const std::string_view name = error_name_of(code);
    const bool own = code >= event_error::too_large; // ipch's codes, above any errno
    std::string meaning;
    if (own) {
        const auto it = std::find_if(error_names.begin(), error_names.end(),
                                     [&](const ErrorName& e) { return e.name == name; });
        meaning = it == error_names.end() ? "an ipch error" : std::string(it->meaning);
    } else {
        // std::generic_category is strerror's text without strerror's shared buffer.
        meaning = std::generic_category().message(code);
    }
    std::string label = name.empty() ? std::string() : std::string(name) + ", ";
    label += (own ? "ipch error " : "errno ") + std::to_string(code);
    return meaning + " (" + label + ")";
}

inline std::vector<std::string_view> error_name_list() {
    std::vector<std::string_view> names;
    for (const ErrorName& error : error_names)
        names.push_back(error.name);
    return names;
}

} // namespace ipch
