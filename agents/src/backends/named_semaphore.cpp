// The `named_semaphore` kind: Boost's named_semaphore created with a count of 1 and used as a
// binary lock (wait to lock, post to unlock). On Linux a POSIX named semaphore,
// /dev/shm/sem.NAME: it has no owner, so a holder that dies leaves it at 0 for good, and a post
// by an agent that does not hold it would let two in (the agent never does that).
#include "backends/deadline.hpp"
#include "backends/mutex_kinds.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/sync/named_semaphore.hpp>
#include <cerrno>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

constexpr unsigned initial_count = 1; // free

class NamedSemaphore final : public MutexBackend {
  public:
    explicit NamedSemaphore(const AgentPlan& plan) : semaphore_(open(plan)) {}
    void lock() override { semaphore_.wait(); }
    void unlock() override { semaphore_.post(); }
    bool try_lock() override { return semaphore_.try_wait(); }
    bool timed_lock(std::uint64_t deadline_ns) override {
        // sem_timedwait: CLOCK_REALTIME.
        return semaphore_.timed_wait(utc_deadline(deadline_ns));
    }

  private:
    static bip::named_semaphore open(const AgentPlan& plan) {
        const bip::permissions permissions(plan.permissions);
        const char* name = plan.mutex_name.c_str();
        try {
            switch (plan.open_mode) {
            case OpenMode::create_only:
                return bip::named_semaphore(bip::create_only, name, initial_count, permissions);
            case OpenMode::create_or_open:
                return bip::named_semaphore(bip::open_or_create, name, initial_count, permissions);
            case OpenMode::open_existing:
                return bip::named_semaphore(bip::open_only, name);
            }
        } catch (const bip::interprocess_exception& e) {
            const int error = e.get_native_error() != 0 ? e.get_native_error() : EIO;
            throw OpenError(error, "cannot open named_semaphore '" + plan.mutex_name + "' (" +
                                       std::string(to_string(plan.open_mode)) + "): " + e.what());
        }
        throw OpenError(EINVAL, "unknown open mode");
    }

    bip::named_semaphore semaphore_;
};

} // namespace

std::unique_ptr<MutexBackend> open_named_semaphore(const AgentPlan& plan) {
    return std::make_unique<NamedSemaphore>(plan);
}

} // namespace ipch
