// The fuzz targets' way to hand bytes to a reader that takes a path: an anonymous memory file
// (memfd), rewritten for each input and named by /proc/self/fd/N. Nothing is left on disk or in
// /dev/shm, and the reader opens, stats and maps it as it would a real log. And what every log
// target does with what the reader handed out: read it.
#pragma once

#include "history.hpp"

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

// Reads every event the reader handed out whole, as the checker would: ASan sees any record that
// lies outside the file's mapping.
inline void read_every_event(const AgentHistory& agent) {
    std::uint64_t sum = 0;
    for (const EventRecord& event : agent.events)
        sum += event.t_requested + event.stamp + event.msg_checksum + event.flags;
    asm volatile("" : : "g"(sum) : "memory"); // keeps the reads from being optimised away
}

} // namespace ipch::fuzz
