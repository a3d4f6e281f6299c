// The `file_lock` kind: Boost's file_lock, an fcntl record lock (F_SETLKW, F_WRLCK) over the
// whole of a lock file, /dev/shm/NAME. Any program can take the same lock with fcntl alone
// (Python's fcntl.lockf does): this is the kind external agents share with built-in ones.
//
// fcntl locks belong to the process, and the kernel drops them all when the process closes ANY
// descriptor of the file. So the agent keeps exactly one descriptor open, file_lock's own: the
// descriptor that creates the file is closed before file_lock opens it, while nothing is held.
// A holder that dies releases the lock (the kernel drops it with the process).
#include "backends/deadline.hpp"
#include "backends/mutex_kinds.hpp"
#include "backends/plan_file.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/sync/file_lock.hpp>
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

OpenError lock_file_error(int error, const AgentPlan& plan, const std::string& path) {
    return OpenError(error, "cannot open file_lock '" + path + "' (" +
                                std::string(to_string(plan.open_mode)) +
                                "): " + std::strerror(error));
}

// Makes sure the lock file exists as the open mode says; returns whether it created it.
bool prepare_lock_file(const AgentPlan& plan, const std::string& path) {
    bool created = false;
    const int fd = open_plan_file(plan, path, created);
    if (fd < 0) throw lock_file_error(errno, plan, path);
    ::close(fd); // nothing is locked yet: closing drops no lock
    return created;
}

class FileLock final : public RepeatsWrites<FileLock> {
  public:
    explicit FileLock(const AgentPlan& plan) : lock_(open(plan, created_)) {}
    void lock() override { lock_.lock(); }
    void unlock() override { lock_.unlock(); }
    bool try_lock() override { return lock_.try_lock(); }
    bool timed_lock(std::uint64_t deadline_ns) override {
        return lock_.timed_lock(utc_deadline(deadline_ns));
    }
    bool created() const override { return created_; }

  private:
    static bip::file_lock open(const AgentPlan& plan, bool& created) {
        const std::string path = lock_file_path(plan.mutex_name);
        created = prepare_lock_file(plan, path);
        try {
            return bip::file_lock(path.c_str());
        } catch (const bip::interprocess_exception& e) {
            throw lock_file_error(error_of(e), plan, path);
        }
    }

    bool created_ = false; // before lock_: open() sets it while lock_ is initialised
    bip::file_lock lock_;
};

} // namespace

std::unique_ptr<MutexBackend> open_file_lock(const AgentPlan& plan) {
    return std::make_unique<FileLock>(plan);
}

} // namespace ipch
