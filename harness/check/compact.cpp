#include "check/compact.hpp"

#include <new>
#include <sys/mman.h>

namespace ipch::check {

void* map_zeroed(std::size_t bytes) {
    if (bytes == 0) return nullptr;
    // MAP_NORESERVE: an array sized for the worst case reserves no swap for pages it never uses.
    void* memory = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    // Advice only: a kernel without transparent huge pages fills the array 4 KiB at a time.
    if (bytes >= (std::size_t{2} << 20)) ::madvise(memory, bytes, MADV_HUGEPAGE);
    return memory;
}

void unmap_zeroed(void* memory, std::size_t bytes) {
    if (memory != nullptr) ::munmap(memory, bytes);
}

} // namespace ipch::check
