#include "backends/mutex_kinds.hpp"

#include <boost/interprocess/sync/named_mutex.hpp>
#include <cerrno>
#include <unistd.h>

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

int remove_mutex(const AgentPlan& plan) {
    switch (plan.mutex_kind) {
    case MutexKind::named_mutex:
        // Boost reports only false; sem_unlink's errno is still set when it returns.
        errno = 0;
        if (boost::interprocess::named_mutex::remove(plan.mutex_name.c_str())) return 0;
        return errno != 0 ? errno : ENOENT;
    case MutexKind::file_lock:
        return ::unlink(lock_file_path(plan.mutex_name).c_str()) == 0 ? 0 : errno;
    case MutexKind::none:
        return 0;
    }
    return EINVAL;
}

OpenObjects open_objects(const AgentPlan& plan) {
    OpenObjects objects;
    objects.mapping = std::make_unique<Mapping>(plan, plan.lock_bytes);
    objects.mutex = open_mutex(plan, *objects.mapping);
    return objects;
}

} // namespace ipch
