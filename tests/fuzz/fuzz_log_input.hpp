// The fuzz targets' way to hand bytes to a reader that takes a path: an anonymous memory file
// (memfd), rewritten for each input and named by /proc/self/fd/N. Nothing is left on disk or in
// /dev/shm, and the reader opens, stats and maps it as it would a real log.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace ipch::fuzz {

class MemoryFile {
  public:
    MemoryFile() : fd_(::memfd_create("ipch-fuzz-log", MFD_CLOEXEC)) {
        if (fd_ < 0) std::abort();
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    MemoryFile(const MemoryFile&) = delete;
    MemoryFile& operator=(const MemoryFile&) = delete;
    ~MemoryFile() { ::close(fd_); }

    // The file holds exactly these bytes afterwards.
    const std::string& hold(const std::uint8_t* data, std::size_t size) {
        if (::ftruncate(fd_, 0) != 0) std::abort();
        std::size_t done = 0;
        while (done < size) {
            const ssize_t wrote = ::pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            if (wrote <= 0) std::abort();
            done += static_cast<std::size_t>(wrote);
        }
        return path_;
    }

  private:
    int fd_;
    std::string path_;
};

} // namespace ipch::fuzz
