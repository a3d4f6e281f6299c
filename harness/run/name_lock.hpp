// Fixed object names (the classic's) are shared by every run on the host. A run holds a lock
// per fixed name for its whole length, so that a second run using the same name refuses to
// start instead of sharing, or removing, the first run's objects.
#pragma once

#include <string>

namespace ipch {

class NameLock {
  public:
    NameLock() = default;
    NameLock(const NameLock&) = delete;
    NameLock& operator=(const NameLock&) = delete;
    NameLock(NameLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
    NameLock& operator=(NameLock&& other) noexcept;
    ~NameLock();

    // Takes the lock on `name` without waiting. On failure returns false and says why in
    // `why` (held by another run: which pid; or the OS's reason).
    bool try_take(const std::string& name, std::string& why);

  private:
    int fd_ = -1;
};

} // namespace ipch
