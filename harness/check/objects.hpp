// What the object properties (open-missing, capacity, permissions, persistence) share: how
// evidence names an observed object and its mode.
#pragma once

#include "history.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

namespace ipch::check {

// "0600"
inline std::string mode_text(std::uint32_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

// "the mapping 'ipch-x-map' (/dev/shm/ipch-x-map)"
inline std::string describe_object(const ObjectObservation& object) {
    return "the " + object.role + " '" + object.name + "' (" + object.where + ")";
}

// The run's mapping among the observations; null when the history has none (not from a run).
inline const ObjectObservation* observed_mapping(const History& history) {
    for (const ObjectObservation& object : history.objects)
        if (object.role == "mapping") return &object;
    return nullptr;
}

} // namespace ipch::check
