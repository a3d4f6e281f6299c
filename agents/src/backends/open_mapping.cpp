#include "backends/mapping_kinds.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

MappedObject map_object(const AgentPlan& plan, std::size_t lock_bytes) {
    switch (plan.mapping_kind) {
    case MappingKind::shm:
        return map_shm(plan, lock_bytes);
    case MappingKind::file:
        return map_file(plan, lock_bytes);
    case MappingKind::xsi:
        return map_xsi(plan, lock_bytes);
    }
    throw OpenError(EINVAL, "unknown mapping kind");
}

// At most this much of the payload is looked at for not_zero: reading a page of a fresh shm or
// xsi mapping allocates it, and a 1 GiB mapping must not cost its creator 1 GiB of memory.
constexpr std::size_t zero_check_payload = 1 << 20;

bool all_zero(const char* bytes, std::size_t length) {
    return std::all_of(bytes, bytes + length, [](char byte) { return byte == 0; });
}

} // namespace

// Other agents may have mapped it already (creating and sizing are two steps), so whatever a
// critical section wrote does not count: the stamp (read before and after) and the owner word
// must still be 0.
bool found_not_zero(const MappingHeader& header, const char* payload, const MappingLayout& layout) {
    const auto stamp = [&] {
        return std::atomic_ref<std::uint64_t>(const_cast<std::uint64_t&>(header.stamp)).load();
    };
    if (stamp() != 0) return false;
    const bool zero = all_zero(reinterpret_cast<const char*>(&header), sizeof header) &&
                      all_zero(payload, std::min(layout.capacity, zero_check_payload)) &&
                      all_zero(payload + layout.capacity, guard_bytes);
    if (zero) return false;
    const auto owner = std::atomic_ref<std::uint32_t>(const_cast<std::uint32_t&>(header.owner));
    return stamp() == 0 && owner.load() == 0;
}

bool sizes_it(const AgentPlan& plan, std::uint64_t size) {
    return size == 0 && plan.open_mode != OpenMode::open_existing;
}

void check_mapping_size(const std::string& what, std::uint64_t size, std::size_t lock_bytes) {
    if (!mapping_layout(static_cast<std::size_t>(size), lock_bytes))
        throw OpenError(EINVAL, what + " is " + std::to_string(size) +
                                    " bytes: too small for the message header");
}

std::string mapping_file_path(const AgentPlan& plan) {
    return (std::filesystem::path(plan.base_dir) / plan.mapping_path).string();
}

Mapping::Mapping(const AgentPlan& plan, std::size_t lock_bytes) {
    MappedObject object = map_object(plan, lock_bytes);
    region_.swap(object.region);
    created_ = object.created;
    identity_ = object.identity;
    // Checked by the kind before it mapped; the region is the object's size.
    layout_ = *mapping_layout(region_.get_size(), lock_bytes);
    not_zero_ = created_ && found_not_zero(header(), payload(), layout_);
}

int remove_mapping(const AgentPlan& plan) {
    switch (plan.mapping_kind) {
    case MappingKind::shm:
        return remove_shm(plan);
    case MappingKind::file:
        return remove_file(plan);
    case MappingKind::xsi:
        return remove_xsi(plan);
    }
    return EINVAL;
}

} // namespace ipch
