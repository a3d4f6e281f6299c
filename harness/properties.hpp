// The property catalog (DESIGN.md): stable ids used by scenarios, the checker and every report.
#pragma once

#include <array>
#include <string_view>

namespace ipch {

struct PropertyInfo {
    std::string_view id;
    std::string_view summary;
    bool checked; // this version's checker decides it; scenarios may name only these
};

inline constexpr std::array<PropertyInfo, 16> property_catalog{{
    {"mutual-exclusion", "no two critical sections overlap", true},
    {"no-torn-read", "every read observes a whole message", true},
    {"no-lost-update", "every increment made under the lock is in the final counter", true},
    {"read-latest", "a read returns the latest write before it in lock order", true},
    {"writer-order", "a reader never sees one writer's sequence go backwards", true},
    {"delivery", "every awaited message arrives before its deadline", true},
    {"create-open-race", "exactly one of N concurrent create-or-opens creates", true},
    {"open-missing", "opening a missing name fails clearly and creates nothing", true},
    {"capacity", "an oversized write is refused cleanly", true},
    {"abandoned-lock", "a lock whose holder died is recovered or reported, never hangs", true},
    {"persistence", "what remains after every handle closes", true},
    {"isolation", "concurrent runs never see each other's objects", false},
    {"permissions", "created objects are owner-only unless asked otherwise", true},
    {"timed-lock", "a timed lock gives up within tolerance of its deadline", true},
    {"progress", "every agent finishes; none crashes unexpectedly", true},
    {"fairness", "acquisitions are shared across agents as demanded", true},
}};

inline constexpr const PropertyInfo* find_property(std::string_view id) {
    for (const PropertyInfo& info : property_catalog)
        if (info.id == id) return &info;
    return nullptr;
}

} // namespace ipch
