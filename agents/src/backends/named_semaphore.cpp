// The `named_semaphore` kind: Boost's named_semaphore created with a count of 1 and used as a
// binary lock (wait to lock, post to unlock). On Linux a POSIX named semaphore,
// /dev/shm/sem.NAME: it has no owner, so a holder that dies leaves it at 0 for good, and a post
// by an agent that does not hold it would let two in (the agent never does that).
#include "backends/deadline.hpp"
#include "backends/mutex_kinds.hpp"
#include "backends/open_named.hpp"

#include <boost/interprocess/sync/named_semaphore.hpp>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

constexpr unsigned initial_count = 1; // free

class NamedSemaphore final : public RepeatsWrites<NamedSemaphore> {
  public:
    explicit NamedSemaphore(const AgentPlan& plan) : semaphore_(open(plan, created_)) {
        if (created_) fix_created_mode(plan);
    }
    bool created() const override { return created_; }
    void lock() override { semaphore_.wait(); }
    void unlock() override { semaphore_.post(); }
    bool try_lock() override { return semaphore_.try_wait(); }
    bool timed_lock(std::uint64_t deadline_ns) override {
        // sem_timedwait: CLOCK_REALTIME.
        return semaphore_.timed_wait(utc_deadline(deadline_ns));
    }

  private:
    static bip::named_semaphore open(const AgentPlan& plan, bool& created) {
        return open_named(
            plan, created,
            [](const char* name, const bip::permissions& permissions) {
                return bip::named_semaphore(bip::create_only, name, initial_count, permissions);
            },
            [](const char* name) { return bip::named_semaphore(bip::open_only, name); });
    }

    bool created_ = false; // before semaphore_: open() sets it while semaphore_ is initialised
    bip::named_semaphore semaphore_;
};

} // namespace

std::unique_ptr<MutexBackend> open_named_semaphore(const AgentPlan& plan) {
    return std::make_unique<NamedSemaphore>(plan);
}

} // namespace ipch
