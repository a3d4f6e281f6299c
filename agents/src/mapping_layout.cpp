#include "ipch/mapping_layout.hpp"

#include <xxhash.h>

namespace ipch {

namespace {

std::size_t lock_area_size(std::size_t lock_bytes) {
    return (lock_bytes + 7) / 8 * 8;
}

} // namespace

std::size_t min_mapping_size(std::size_t lock_bytes) {
    return lock_area_size(lock_bytes) + sizeof(MappingHeader) + 1 + guard_bytes;
}

std::optional<MappingLayout> mapping_layout(std::size_t size, std::size_t lock_bytes) {
    if (size < min_mapping_size(lock_bytes)) return std::nullopt;
    const std::size_t lock_area = lock_area_size(lock_bytes);
    const std::size_t payload_offset = lock_area + sizeof(MappingHeader);
    const std::size_t guard_offset = size - guard_bytes;
    return MappingLayout{size, lock_area, payload_offset, guard_offset - payload_offset,
                         guard_offset};
}

std::size_t lock_bytes_for(MutexKind kind) {
    return lives_in_mapping(kind) ? in_mapping_lock_bytes : 0;
}

std::uint32_t lock_area_kind(MutexKind kind) {
    switch (kind) {
    case MutexKind::interprocess_mutex:
        return 1;
    case MutexKind::robust_mutex:
        return 2;
    case MutexKind::spin:
        return 3;
    case MutexKind::named_mutex:
    case MutexKind::named_semaphore:
    case MutexKind::file_lock:
    case MutexKind::none:
        return 0;
    }
    return 0;
}

std::uint64_t message_checksum(const void* data, std::size_t length) {
    return XXH64(data, length, 0);
}

} // namespace ipch
