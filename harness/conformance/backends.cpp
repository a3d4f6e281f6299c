#include "conformance/backends.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <sstream>

namespace ipch::conformance {

namespace {

template <typename Kind, std::size_t N>
std::optional<Kind> kind_named(const std::array<Kind, N>& kinds, const std::string& name) {
    for (const Kind kind : kinds)
        if (to_string(kind) == name) return kind;
    return std::nullopt;
}

template <typename Kind, std::size_t N>
std::string names_of(const std::array<Kind, N>& kinds) {
    std::string names;
    for (const Kind kind : kinds)
        names += (names.empty() ? "" : ", ") + std::string(to_string(kind));
    return names;
}

// One item of the list: the backends it stands for, or why it stands for none.
std::variant<std::vector<Backend>, std::string> parse_item(const std::string& item) {
    if (item == "all") return all_backends();
    const std::size_t slash = item.find('/');
    const std::string mutex_name = item.substr(0, slash);
    const std::optional<MutexKind> mutex = kind_named(all_mutex_kinds, mutex_name);
    if (!mutex)
        return "unknown mutex kind '" + mutex_name + "' in '" + item +
               "'; expected one of: " + names_of(all_mutex_kinds) + " (or all)";
    std::vector<Backend> backends;
    if (slash == std::string::npos) {
        for (const MappingKind mapping : all_mapping_kinds)
            backends.push_back({*mutex, mapping});
        return backends;
    }
    const std::string mapping_name = item.substr(slash + 1);
    const std::optional<MappingKind> mapping = kind_named(all_mapping_kinds, mapping_name);
    if (!mapping)
        return "unknown mapping kind '" + mapping_name + "' in '" + item +
               "'; expected one of: " + names_of(all_mapping_kinds);
    return std::vector<Backend>{{*mutex, *mapping}};
}

std::size_t rank(const Backend& backend) {
    return static_cast<std::size_t>(backend.mutex) * all_mapping_kinds.size() +
           static_cast<std::size_t>(backend.mapping);
}

} // namespace

std::string backend_name(const Backend& backend) {
    return std::string(to_string(backend.mutex)) + "/" + std::string(to_string(backend.mapping));
}

std::vector<Backend> all_backends() {
    std::vector<Backend> backends;
    for (const MutexKind mutex : all_mutex_kinds)
        for (const MappingKind mapping : all_mapping_kinds)
            backends.push_back({mutex, mapping});
    return backends;
}

std::variant<std::vector<Backend>, std::string> parse_backends(const std::string& list) {
    std::vector<Backend> chosen;
    std::stringstream items(list);
    std::string item;
    bool any = false;
    while (std::getline(items, item, ',')) {
        if (item.empty())
            return "--backends: an empty item in '" + list + "'; expected " +
                   "MUTEX, MUTEX/MAPPING or all, separated by commas";
        any = true;
        auto parsed = parse_item(item);
        if (auto* why = std::get_if<std::string>(&parsed)) return "--backends: " + *why;
        for (const Backend& backend : std::get<std::vector<Backend>>(parsed))
            if (std::find(chosen.begin(), chosen.end(), backend) == chosen.end())
                chosen.push_back(backend);
    }
    if (!any || list.back() == ',')
        return "--backends: no backend in '" + list +
               "'; expected MUTEX, MUTEX/MAPPING or all, separated by commas";
    std::sort(chosen.begin(), chosen.end(),
              [](const Backend& a, const Backend& b) { return rank(a) < rank(b); });
    return chosen;
}

} // namespace ipch::conformance
