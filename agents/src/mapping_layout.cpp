#include "ipch/mapping_layout.hpp"

#include <xxhash.h>

namespace ipch {

std::optional<MappingLayout> mapping_layout(std::size_t size, std::size_t lock_bytes) {
    const std::size_t lock_area = (lock_bytes + 7) / 8 * 8;
    const std::size_t payload_offset = lock_area + sizeof(MappingHeader);
    if (size <= payload_offset) return std::nullopt;
    return MappingLayout{size, lock_area, payload_offset, size - payload_offset};
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
