#include "backends/mutex_kinds.hpp"

#include <cerrno>

namespace ipch {

std::unique_ptr<MutexBackend> open_mutex(const AgentPlan& plan, Mapping&) {
    switch (plan.mutex_kind) {
    case MutexKind::named_mutex:
        return open_named_mutex(plan);
    case MutexKind::file_lock:
        return open_file_lock(plan);
    case MutexKind::none:
        return open_no_lock(plan);
    }
    throw OpenError(EINVAL, "unknown mutex kind");
}

} // namespace ipch
