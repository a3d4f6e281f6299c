// Fixed object names (the classic's) are shared by every run on the host. A run holds a lock
// per fixed name for its whole length, so that a second run using the same name refuses to
// start instead of sharing, or removing, the first run's objects.
#pragma once

#include <filesystem>
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

    // Replaces what the lock file says (its first line stays the holder's pid, for the message
    // a refused run prints): the run registry's record of a run, for `ipc-harness clean`.
    void write_record(const std::string& text);
    // What the lock file says after its first line (the last holder's record).
    std::string read_record() const;

    // Removes the lock file, still holding the lock, then lets go: for a name nobody else will
    // ever lock (a run id unique to this run), so that lock files do not pile up.
    void remove_and_release(const std::string& name);

    bool held() const { return fd_ >= 0; }

  private:
    int fd_ = -1;
};

// Where lock files live: a folder of the user's in the temp directory (never /dev/shm).
std::filesystem::path name_lock_directory();
std::filesystem::path name_lock_path(const std::string& name);

} // namespace ipch
