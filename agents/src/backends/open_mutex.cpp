#include "backends/mutex_kinds.hpp"
#include "backends/open_named.hpp"

#include <boost/interprocess/sync/named_mutex.hpp>
#include <boost/interprocess/sync/named_semaphore.hpp>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

// Boost reports only false; sem_unlink's errno is still set when it returns.
template <typename Remove>
int removal_errno(Remove&& remove) {
    errno = 0;
    if (remove()) return 0;
    return errno != 0 ? errno : ENOENT;
}

} // namespace

void fix_created_mode(const AgentPlan& plan) {
    const std::string path = mutex_object_path(plan.mutex_kind, plan.mutex_name);
    if (::chmod(path.c_str(), static_cast<mode_t>(plan.permissions)) != 0)
        throw OpenError(errno, "cannot set the mode of " + std::string(to_string(plan.mutex_kind)) +
                                   " '" + path + "': " + std::strerror(errno));
}

std::unique_ptr<MutexBackend> open_mutex(const AgentPlan& plan, Mapping& mapping) {
    switch (plan.mutex_kind) {
    case MutexKind::named_mutex:
        return open_named_mutex(plan);
    case MutexKind::interprocess_mutex:
        return open_interprocess_mutex(plan, mapping);
    case MutexKind::robust_mutex:
        return open_robust_mutex(plan, mapping);
    case MutexKind::named_semaphore:
        return open_named_semaphore(plan);
    case MutexKind::file_lock:
        return open_file_lock(plan);
    case MutexKind::spin:
        return open_spin_lock(plan, mapping);
    case MutexKind::none:
        return open_no_lock(plan);
    }
    throw OpenError(EINVAL, "unknown mutex kind");
}

int remove_mutex(const AgentPlan& plan) {
    const char* name = plan.mutex_name.c_str();
    switch (plan.mutex_kind) {
    case MutexKind::named_mutex:
        return removal_errno([name] { return bip::named_mutex::remove(name); });
    case MutexKind::named_semaphore:
        return removal_errno([name] { return bip::named_semaphore::remove(name); });
    case MutexKind::file_lock:
        return ::unlink(lock_file_path(plan.mutex_name).c_str()) == 0 ? 0 : errno;
    case MutexKind::interprocess_mutex: // in the mapping: gone with it
    case MutexKind::robust_mutex:
    case MutexKind::spin:
    case MutexKind::none:
        return 0;
    }
    return EINVAL;
}

std::uint64_t mutex_identity(const AgentPlan& plan) {
    const std::string path = mutex_object_path(plan.mutex_kind, plan.mutex_name);
    struct stat info {};
    return !path.empty() && ::stat(path.c_str(), &info) == 0
               ? static_cast<std::uint64_t>(info.st_ino)
               : 0;
}

OpenObjects open_objects(const AgentPlan& plan) {
    OpenObjects objects;
    objects.mapping = std::make_unique<Mapping>(plan, plan.lock_bytes);
    objects.mutex = open_mutex(plan, *objects.mapping);
    return objects;
}

} // namespace ipch
