#include "run/name_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ipch {

// Lock files live outside /dev/shm (they are not objects under test). A shared name's lock file
// is never removed: unlinking it races with a run that has just opened it. The kernel drops a
// flock when its holder dies, so a crashed run never blocks the next.
std::filesystem::path name_lock_directory() {
    return std::filesystem::temp_directory_path() /
           ("ipc-harness-locks-" + std::to_string(::getuid()));
}

std::filesystem::path name_lock_path(const std::string& name) {
    const std::filesystem::path dir = name_lock_directory();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    // Owner-only whatever the umask it was made under: under 0277 it would lack the owner's
    // write bit (no lock file could be made in it), under 0 any user could write in it. Set on
    // every call: a folder an earlier version made under umask 022 is 0755.
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    return dir / (name + ".lock");
}

NameLock& NameLock::operator=(NameLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}

NameLock::~NameLock() {
    if (fd_ >= 0) ::close(fd_);
}

bool NameLock::try_take(const std::string& name, std::string& why) {
    const auto path = name_lock_path(name);
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    // 0600 whatever the umask did (0277 leaves 0400). Not fatal: the descriptor is read-write.
    if (fd >= 0) (void)::fchmod(fd, 0600);
    if (fd < 0) {
        why = "cannot open the lock file '" + path.string() + "': " + std::strerror(errno);
        return false;
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char holder[32] = {};
        const ssize_t n = ::pread(fd, holder, sizeof holder - 1, 0);
        std::string pid(holder, n > 0 ? static_cast<std::size_t>(n) : 0);
        pid = pid.substr(0, pid.find('\n'));
        why = "'" + name + "' is in use by another ipc-harness run" +
              (pid.empty() ? "" : " (pid " + pid + ")");
        ::close(fd);
        return false;
    }
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
    // The holder's pid, for the message a second run prints; the last holder's record stays
    // (a fixed name's says which run created its object: run_agents.cpp).
    write_record(read_record());
    return true;
}

void NameLock::write_record(const std::string& text) {
    if (fd_ < 0) return;
    const std::string record = std::to_string(::getpid()) + "\n" + text;
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, record.data(), record.size(), 0) < 0) {
        // The record only helps `clean` name what it removes; the lock itself holds.
    }
}

std::string NameLock::read_record() const {
    std::string text;
    if (fd_ < 0) return text;
    char buffer[512];
    for (off_t at = 0;;) {
        const ssize_t n = ::pread(fd_, buffer, sizeof buffer, at);
        if (n <= 0) break;
        text.append(buffer, static_cast<std::size_t>(n));
        at += n;
    }
    const std::size_t line = text.find('\n');
    return line == std::string::npos ? std::string() : text.substr(line + 1);
}

void NameLock::remove_and_release(const std::string& name) {
    if (fd_ < 0) return;
    std::error_code ec;
    std::filesystem::remove(name_lock_path(name), ec);
    ::close(fd_);
    fd_ = -1;
}

} // namespace ipch
