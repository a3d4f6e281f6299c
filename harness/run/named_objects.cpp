#include "run/named_objects.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <cerrno>
#include <cstring>
#include <new>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace ipch {

namespace bip = boost::interprocess;

// Only "not found" means absent: an object we may not open (another user's) still exists.
bool shm_exists(const std::string& name) {
    try {
        bip::shared_memory_object object(bip::open_only, name.c_str(), bip::read_only);
        return true;
    } catch (const bip::interprocess_exception& e) {
        return e.get_error_code() != bip::not_found_error;
    }
}

bool named_mutex_exists(const std::string& name) {
    try {
        bip::named_mutex mutex(bip::open_only, name.c_str());
        return true;
    } catch (const bip::interprocess_exception& e) {
        return e.get_error_code() != bip::not_found_error;
    }
}

bool lock_file_exists(const std::string& mutex_name) {
    struct stat info {};
    return ::lstat(lock_file_path(mutex_name).c_str(), &info) == 0 || errno != ENOENT;
}

namespace {

bool mutex_exists(MutexKind kind, const std::string& name) {
    switch (kind) {
    case MutexKind::named_mutex:
        return named_mutex_exists(name);
    case MutexKind::file_lock:
        return lock_file_exists(name);
    case MutexKind::none:
        return false;
    }
    return false;
}

} // namespace

PreexistingObjects find_preexisting(const Plan& plan) {
    return PreexistingObjects{plan.mapping.fixed && shm_exists(plan.mapping.name),
                              plan.mutex.fixed && mutex_exists(plan.mutex_kind, plan.mutex.name)};
}

void RunObjectsGuard::remove_all() {
    if (!keep_.mapping) bip::shared_memory_object::remove(plan_.mapping.name.c_str());
    if (plan_.mutex_kind == MutexKind::named_mutex && !keep_.mutex)
        bip::named_mutex::remove(plan_.mutex.name.c_str());
    if (plan_.mutex_kind == MutexKind::file_lock && !keep_.mutex)
        ::unlink(lock_file_path(plan_.mutex.name).c_str());
    bip::shared_memory_object::remove(plan_.control.name.c_str());
}

ControlObject::ControlObject(const std::string& name, std::uint32_t agent_count,
                             std::uint32_t barrier_count) {
    const std::size_t size = control_block_size(agent_count, barrier_count);
    try {
        object_ = bip::shared_memory_object(bip::create_only, name.c_str(), bip::read_write,
                                            bip::permissions(0600));
        object_.truncate(static_cast<bip::offset_t>(size));
        region_ = bip::mapped_region(object_, bip::read_write);
    } catch (const bip::interprocess_exception& e) {
        throw std::runtime_error("cannot create the control object '" + name + "': " + e.what());
    }
    // The object is zero-filled: every atomic starts at 0 (OpenPhase::wait, starting, no go,
    // every barrier at generation 0 with nobody arrived).
    block_ = static_cast<ControlBlock*>(region_.get_address());
    block_->agent_count = agent_count;
    block_->barrier_count = barrier_count;
    block_->version = control_version;
    block_->magic = control_magic;
}

} // namespace ipch
