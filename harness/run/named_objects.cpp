#include "run/named_objects.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <boost/interprocess/sync/named_semaphore.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <stdexcept>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace ipch {

namespace bip = boost::interprocess;

std::string mapping_path(const Plan& plan) {
    switch (plan.mapping_kind) {
    case MappingKind::shm:
        return "/dev/shm/" + plan.mapping.name;
    case MappingKind::file:
        return (plan.run_dir / mapping_file_name(plan.mapping.name)).string();
    case MappingKind::xsi:
        return "";
    }
    return "";
}

std::string mutex_object_path(const Plan& plan) {
    return ipch::mutex_object_path(plan.mutex_kind, plan.mutex.name);
}

namespace {

// Only "not found" means absent: an object we may not look at (another user's) still exists.
bool path_exists(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 || errno != ENOENT;
}

bool xsi_exists(std::int32_t key) {
    return ::shmget(key, 0, 0) >= 0 || errno != ENOENT;
}

bool mutex_exists(const Plan& plan) {
    const std::string path = mutex_object_path(plan);
    return !path.empty() && path_exists(path);
}

void remove_mapping(const Plan& plan) {
    switch (plan.mapping_kind) {
    case MappingKind::shm:
        bip::shared_memory_object::remove(plan.mapping.name.c_str());
        return;
    case MappingKind::file:
        ::unlink(mapping_path(plan).c_str());
        return;
    case MappingKind::xsi:
        // Agents still attached keep it until they detach; the key is free at once.
        if (const int id = ::shmget(xsi_key_for(plan.mapping.name), 0, 0); id >= 0)
            ::shmctl(id, IPC_RMID, nullptr);
        return;
    }
}

void remove_mutex(const Plan& plan) {
    switch (plan.mutex_kind) {
    case MutexKind::named_mutex:
        bip::named_mutex::remove(plan.mutex.name.c_str());
        return;
    case MutexKind::named_semaphore:
        bip::named_semaphore::remove(plan.mutex.name.c_str());
        return;
    case MutexKind::file_lock:
        ::unlink(lock_file_path(plan.mutex.name).c_str());
        return;
    case MutexKind::interprocess_mutex: // gone with the mapping
    case MutexKind::robust_mutex:
    case MutexKind::spin:
    case MutexKind::none:
        return;
    }
}

// Gives a new shm object its pages now. /dev/shm is a tmpfs: ftruncate there succeeds whatever
// room is left, and the first write to a page that does not fit kills the writer with SIGBUS
// (found by running with a full /dev/shm: the controller died of it). Reserved up front, a lack of
// room is an error here instead.
void reserve_pages(const bip::shared_memory_object& object, std::size_t size) {
    const int error =
        ::posix_fallocate(object.get_mapping_handle().handle, 0, static_cast<off_t>(size));
    if (error == 0) return;
    throw std::runtime_error(std::string(std::strerror(error)) + " while reserving its " +
                             std::to_string(size) + " bytes" +
                             (error == ENOSPC ? " (/dev/shm is full)" : ""));
}

// Bytes free to an unprivileged writer on the file system holding `path`; nullopt when unknown.
std::optional<std::uint64_t> free_bytes(const std::string& path) {
    struct statvfs info {};
    if (::statvfs(path.c_str(), &info) != 0) return std::nullopt;
    return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

} // namespace

std::optional<std::string> check_room(const Plan& plan, std::uint64_t control_size) {
    // An xsi segment lives outside any file system (its limits are shmmax and shmall, which
    // shmget checks itself); a file mapping lives in the run directory.
    if (plan.mapping_kind == MappingKind::xsi) return std::nullopt;
    const std::uint64_t mapping = plan.mapping.fixed && plan.reuse ? 0 : plan.mapping_size;
    const std::string where =
        plan.mapping_kind == MappingKind::shm ? "/dev/shm" : plan.run_dir.string();
    const std::uint64_t needed =
        mapping + (plan.mapping_kind == MappingKind::shm ? control_size : 0);
    const std::optional<std::uint64_t> free = free_bytes(where);
    if (!free || *free >= needed) return std::nullopt;
    return "not enough room for the run's objects in " + where + ": " + std::to_string(*free) +
           " bytes free, the mapping needs " + std::to_string(plan.mapping_size) +
           (plan.mapping_kind == MappingKind::shm
                ? " and the control object " + std::to_string(control_size)
                : std::string()) +
           "; free some room, or ask for a smaller mapping";
}

bool mapping_exists(const Plan& plan) {
    if (plan.mapping_kind == MappingKind::xsi) return xsi_exists(xsi_key_for(plan.mapping.name));
    return path_exists(mapping_path(plan));
}

std::string mapping_removal_hint(const Plan& plan) {
    if (plan.mapping_kind == MappingKind::xsi)
        return "ipcrm -M " + xsi_key_text(xsi_key_for(plan.mapping.name));
    return "rm " + mapping_path(plan);
}

PreexistingObjects find_preexisting(const Plan& plan) {
    const bool look_for_mapping = plan.mapping.fixed || plan.mapping_kind == MappingKind::xsi;
    return PreexistingObjects{look_for_mapping && mapping_exists(plan),
                              plan.mutex.fixed && mutex_exists(plan)};
}

void RunObjectsGuard::remove_all() {
    if (!keep_.mapping) remove_mapping(plan_);
    if (!keep_.mutex) remove_mutex(plan_);
    bip::shared_memory_object::remove(plan_.control.name.c_str());
}

ControlObject::ControlObject(const std::string& name, std::uint32_t agent_count,
                             std::uint32_t barrier_count) {
    const std::size_t size = control_block_size(agent_count, barrier_count);
    try {
        object_ = bip::shared_memory_object(bip::create_only, name.c_str(), bip::read_write,
                                            bip::permissions(0600));
        object_.truncate(static_cast<bip::offset_t>(size));
        reserve_pages(object_, size);
        region_ = bip::mapped_region(object_, bip::read_write);
    } catch (const std::exception& e) {
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
