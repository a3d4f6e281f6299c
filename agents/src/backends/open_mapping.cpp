#include "backends/mapping_kinds.hpp"

#include <cerrno>
#include <filesystem>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

bip::mapped_region map_region(const AgentPlan& plan, std::size_t lock_bytes) {
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

} // namespace

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

Mapping::Mapping(const AgentPlan& plan, std::size_t lock_bytes)
    : region_(map_region(plan, lock_bytes)) {
    // Checked by the kind before it mapped; the region is the object's size.
    layout_ = *mapping_layout(region_.get_size(), lock_bytes);
}

MappingHeader& Mapping::header() const {
    return *reinterpret_cast<MappingHeader*>(static_cast<char*>(region_.get_address()) +
                                             layout_.header_offset);
}

char* Mapping::payload() const {
    return static_cast<char*>(region_.get_address()) + layout_.payload_offset;
}

char* Mapping::lock_area() const {
    return static_cast<char*>(region_.get_address());
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
