// The backends a conformance run covers: a mutex kind over a mapping kind, chosen on the
// command line with --backends.
#pragma once

#include "ipch/agent_plan.hpp"

#include <string>
#include <variant>
#include <vector>

namespace ipch::conformance {

struct Backend {
    MutexKind mutex = MutexKind::named_mutex;
    MappingKind mapping = MappingKind::shm;
    bool operator==(const Backend&) const = default;
};

// "robust_mutex/shm": how every report names a backend (a matrix row).
std::string backend_name(const Backend& backend);

// Every mutex kind over every mapping kind, mutex kinds in their enum order.
std::vector<Backend> all_backends();

// --backends: comma-separated items, each `MUTEX` (over every mapping kind), `MUTEX/MAPPING`, or
// `all`. The backends in enum order, each once; or the reason the list is bad input.
std::variant<std::vector<Backend>, std::string> parse_backends(const std::string& list);

} // namespace ipch::conformance
