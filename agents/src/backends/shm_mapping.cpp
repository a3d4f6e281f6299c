// The `shm` mapping kind: a POSIX shared-memory object (Boost shared_memory_object),
// /dev/shm/NAME.
#include "backends/mapping_kinds.hpp"
#include "backends/open_named.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cerrno>
#include <sys/stat.h>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

OpenError open_error(const bip::interprocess_exception& e, const AgentPlan& plan,
                     const char* what) {
    return OpenError(error_of(e), std::string(what) + " shared memory '" + plan.mapping_name +
                                      "' (" + std::string(to_string(plan.open_mode)) +
                                      "): " + e.what());
}

bip::shared_memory_object open_object(const AgentPlan& plan, bool& created) {
    const bip::permissions permissions(plan.permissions);
    const char* name = plan.mapping_name.c_str();
    try {
        return create_or_open_as(
            plan.open_mode, created,
            [&] {
                return bip::shared_memory_object(bip::create_only, name, bip::read_write,
                                                 permissions);
            },
            [&] { return bip::shared_memory_object(bip::open_only, name, bip::read_write); });
    } catch (const bip::interprocess_exception& e) {
        throw open_error(e, plan, "cannot open");
    }
}

std::uint64_t inode_of(const bip::shared_memory_object& object, const AgentPlan& plan) {
    struct stat info {};
    if (::fstat(object.get_mapping_handle().handle, &info) != 0)
        throw OpenError(errno, "cannot stat shared memory '" + plan.mapping_name + "'");
    return static_cast<std::uint64_t>(info.st_ino);
}

} // namespace

MappedObject map_shm(const AgentPlan& plan, std::size_t lock_bytes) {
    bool created = false;
    bip::shared_memory_object object = open_object(plan, created);
    const std::uint64_t identity = inode_of(object, plan);
    try {
        bip::offset_t size = 0;
        object.get_size(size);
        if (sizes_it(plan, static_cast<std::uint64_t>(size))) {
            object.truncate(static_cast<bip::offset_t>(plan.mapping_size));
            size = static_cast<bip::offset_t>(plan.mapping_size);
        }
        check_mapping_size("shared memory '" + plan.mapping_name + "'",
                           static_cast<std::uint64_t>(size), lock_bytes);
        return MappedObject{bip::mapped_region(object, bip::read_write), created, identity};
    } catch (const bip::interprocess_exception& e) {
        throw open_error(e, plan, "cannot size or map");
    }
}

int remove_shm(const AgentPlan& plan) {
    // Boost reports only false; shm_unlink's errno is still set when it returns.
    errno = 0;
    if (bip::shared_memory_object::remove(plan.mapping_name.c_str())) return 0;
    return errno != 0 ? errno : ENOENT;
}

} // namespace ipch
