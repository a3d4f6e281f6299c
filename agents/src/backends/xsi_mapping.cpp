// The `xsi` mapping kind: a System V shared-memory segment (Boost xsi_shared_memory) under the
// plan's key (xsi_key_for the mapping's name). Its size is fixed when it is created, and it is
// zero-filled; `ipcs -m` lists it, `ipcrm -M KEY` removes it.
#include "backends/mapping_kinds.hpp"
#include "backends/open_named.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/xsi_shared_memory.hpp>
#include <cerrno>
#include <cstdio>
#include <sys/shm.h>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

std::string describe(const AgentPlan& plan) {
    return "xsi shared memory '" + plan.mapping_name + "' (key " + xsi_key_text(plan.mapping_key) +
           ", " + std::string(to_string(plan.open_mode)) + ")";
}

bip::xsi_shared_memory open_segment(const AgentPlan& plan, bool& created) {
    const bip::xsi_key key(plan.mapping_key);
    const bip::permissions permissions(plan.permissions);
    const auto size = static_cast<std::size_t>(plan.mapping_size);
    return create_or_open_as(
        plan.open_mode, created,
        [&] { return bip::xsi_shared_memory(bip::create_only, key, size, permissions); },
        [&] { return bip::xsi_shared_memory(bip::open_only, key); });
}

} // namespace

MappedObject map_xsi(const AgentPlan& plan, std::size_t lock_bytes) {
    try {
        bool created = false;
        bip::xsi_shared_memory segment = open_segment(plan, created);
        shmid_ds info{};
        if (::shmctl(segment.get_shmid(), IPC_STAT, &info) != 0)
            throw OpenError(errno, "cannot stat " + describe(plan));
        check_mapping_size(describe(plan), info.shm_segsz, lock_bytes);
        return MappedObject{bip::mapped_region(segment, bip::read_write), created,
                            static_cast<std::uint64_t>(segment.get_shmid())};
    } catch (const bip::interprocess_exception& e) {
        throw OpenError(error_of(e), "cannot open " + describe(plan) + ": " + e.what());
    }
}

int remove_xsi(const AgentPlan& plan) {
    const int id = ::shmget(plan.mapping_key, 0, 0);
    if (id < 0) return errno;
    // Marked for removal: agents that have it attached keep it until they detach, and the key
    // is free at once (a new create makes a new segment).
    return ::shmctl(id, IPC_RMID, nullptr) == 0 ? 0 : errno;
}

} // namespace ipch
