// The `shm` mapping kind: a POSIX shared-memory object (Boost shared_memory_object).
#include "backend.hpp"

#include <boost/interprocess/exceptions.hpp>
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

Mapping::Mapping(const AgentPlan& plan, std::size_t lock_bytes) : object_(open_object(plan)) {
    try {
        bip::offset_t size = 0;
        object_.get_size(size);
        // A creator (or a create-or-open that found a size-0 object: another creator has not
        // sized it yet) sizes it; ftruncate to the same size twice is harmless and zero-fills.
        if (size == 0 && plan.open_mode != OpenMode::open_existing) {
            object_.truncate(static_cast<bip::offset_t>(plan.mapping_size));
            size = static_cast<bip::offset_t>(plan.mapping_size);
        }
        const auto layout = mapping_layout(static_cast<std::size_t>(size), lock_bytes);
        if (!layout)
            throw OpenError(EINVAL, "shared memory '" + plan.mapping_name + "' is " +
                                        std::to_string(size) +
                                        " bytes: too small for the message header");
        layout_ = *layout;
        region_ = bip::mapped_region(object_, bip::read_write);
    } catch (const bip::interprocess_exception& e) {
        throw open_error(e, plan, "cannot size or map");
    }
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
    // Boost reports only false; shm_unlink's errno is still set when it returns.
    errno = 0;
    if (bip::shared_memory_object::remove(plan.mapping_name.c_str())) return 0;
    return errno != 0 ? errno : ENOENT;
}

} // namespace ipch
