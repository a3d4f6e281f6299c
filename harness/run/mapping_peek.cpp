#include "run/mapping_peek.hpp"

#include "ipch/mapping_layout.hpp"
#include "run/named_objects.hpp"

#include <atomic>
#include <cstddef>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ipch {

bool MappingPeek::map() {
    if (bytes_ != nullptr) return true;
    if (plan_->mapping_kind == MappingKind::xsi) {
        const int id = ::shmget(xsi_key_for(plan_->mapping.name), 0, 0);
        shmid_ds info{};
        if (id < 0 || ::shmctl(id, IPC_STAT, &info) != 0) return false;
        void* bytes = ::shmat(id, nullptr, SHM_RDONLY);
        if (bytes == reinterpret_cast<void*>(-1)) return false;
        bytes_ = static_cast<const unsigned char*>(bytes);
        size_ = info.shm_segsz;
        xsi_ = true;
        return true;
    }
    const int fd = ::open(mapping_path(*plan_).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    struct stat info {};
    // A creator sizes the object after creating it: a size of 0 is one not ready yet.
    if (::fstat(fd, &info) != 0 || info.st_size <= 0) {
        ::close(fd);
        return false;
    }
    const auto size = static_cast<std::size_t>(info.st_size);
    void* bytes = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (bytes == MAP_FAILED) return false;
    bytes_ = static_cast<const unsigned char*>(bytes);
    size_ = size;
    return true;
}

std::optional<std::uint32_t> MappingPeek::owner_word() {
    if (!map()) return std::nullopt;
    const auto layout = mapping_layout(size_, static_cast<std::size_t>(plan_->lock_bytes));
    if (!layout || layout->header_offset + sizeof(MappingHeader) > size_) return std::nullopt;
    // Agents store the word while this reads it: an atomic load (an aligned 4-byte word).
    auto* word = const_cast<std::uint32_t*>(reinterpret_cast<const std::uint32_t*>(
        bytes_ + layout->header_offset + offsetof(MappingHeader, owner)));
    return std::atomic_ref<std::uint32_t>(*word).load(std::memory_order_acquire);
}

std::optional<std::size_t> agent_of_owner_word(const Plan& plan, std::uint32_t word) {
    if (word == 0) return std::nullopt;
    for (std::size_t i = 0; i < plan.agents.size(); ++i)
        if (owner_token(plan.agents[i]) == word) return i;
    return std::nullopt;
}

std::optional<std::size_t> MappingPeek::owner_agent(std::uint32_t word) const {
    return agent_of_owner_word(*plan_, word);
}

void MappingPeek::close() {
    if (bytes_ == nullptr) return;
    if (xsi_)
        ::shmdt(bytes_);
    else
        ::munmap(const_cast<unsigned char*>(bytes_), size_);
    bytes_ = nullptr;
}

} // namespace ipch
