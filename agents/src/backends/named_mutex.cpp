// The `named_mutex` kind: Boost's named_mutex. On Linux it is a POSIX named semaphore
// (/dev/shm/sem.NAME) with no owner: if its holder dies, it stays locked forever.
#include "backends/deadline.hpp"
#include "backends/mutex_kinds.hpp"
#include "backends/open_named.hpp"

#include <boost/interprocess/sync/named_mutex.hpp>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

class NamedMutex final : public RepeatsWrites<NamedMutex> {
  public:
    explicit NamedMutex(const AgentPlan& plan) : mutex_(open(plan, created_)) {
        if (created_) fix_created_mode(plan);
    }
    void lock() override { mutex_.lock(); }
    void unlock() override { mutex_.unlock(); }
    bool try_lock() override { return mutex_.try_lock(); }
    bool timed_lock(std::uint64_t deadline_ns) override {
        return mutex_.timed_lock(utc_deadline(deadline_ns));
    }
    bool created() const override { return created_; }

  private:
    static bip::named_mutex open(const AgentPlan& plan, bool& created) {
        return open_named(
            plan, created,
            [](const char* name, const bip::permissions& permissions) {
                return bip::named_mutex(bip::create_only, name, permissions);
            },
            [](const char* name) { return bip::named_mutex(bip::open_only, name); });
    }

    bool created_ = false; // before mutex_: open() sets it while mutex_ is initialised
    bip::named_mutex mutex_;
};

} // namespace

std::unique_ptr<MutexBackend> open_named_mutex(const AgentPlan& plan) {
    return std::make_unique<NamedMutex>(plan);
}

} // namespace ipch
