// The `shm` mapping kind: a POSIX shared-memory object (Boost shared_memory_object),
// /dev/shm/NAME.
#include "backends/mapping_kinds.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <cerrno>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

OpenError open_error(const bip::interprocess_exception& e, const AgentPlan& plan,
                     const char* what) {
    const int error = e.get_native_error() != 0 ? e.get_native_error() : EIO;
    return OpenError(error, std::string(what) + " shared memory '" + plan.mapping_name + "' (" +
                                std::string(to_string(plan.open_mode)) + "): " + e.what());
}

bip::shared_memory_object open_object(const AgentPlan& plan) {
    const bip::permissions permissions(plan.permissions);
    try {
        switch (plan.open_mode) {
        case OpenMode::create_only:
            return bip::shared_memory_object(bip::create_only, plan.mapping_name.c_str(),
                                             bip::read_write, permissions);
        case OpenMode::create_or_open:
            return bip::shared_memory_object(bip::open_or_create, plan.mapping_name.c_str(),
                                             bip::read_write, permissions);
        case OpenMode::open_existing:
            return bip::shared_memory_object(bip::open_only, plan.mapping_name.c_str(),
                                             bip::read_write);
        }
    } catch (const bip::interprocess_exception& e) {
        throw open_error(e, plan, "cannot open");
    }
    throw OpenError(EINVAL, "unknown open mode");
}

} // namespace

bip::mapped_region map_shm(const AgentPlan& plan, std::size_t lock_bytes) {
    bip::shared_memory_object object = open_object(plan);
    try {
        bip::offset_t size = 0;
        object.get_size(size);
        if (sizes_it(plan, static_cast<std::uint64_t>(size))) {
            object.truncate(static_cast<bip::offset_t>(plan.mapping_size));
            size = static_cast<bip::offset_t>(plan.mapping_size);
        }
        check_mapping_size("shared memory '" + plan.mapping_name + "'",
                           static_cast<std::uint64_t>(size), lock_bytes);
        return bip::mapped_region(object, bip::read_write);
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
