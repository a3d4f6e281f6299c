// The `named_mutex` kind: Boost's named_mutex. On Linux it is a POSIX named semaphore
// (/dev/shm/sem.NAME) with no owner: if its holder dies, it stays locked forever.
#include "backends/deadline.hpp"
#include "backends/mutex_kinds.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <cerrno>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

class NamedMutex final : public MutexBackend {
  public:
    explicit NamedMutex(const AgentPlan& plan) : mutex_(open(plan)) {}
    void lock() override { mutex_.lock(); }
    void unlock() override { mutex_.unlock(); }
    bool try_lock() override { return mutex_.try_lock(); }
    bool timed_lock(std::uint64_t deadline_ns) override {
        return mutex_.timed_lock(utc_deadline(deadline_ns));
    }

  private:
    static bip::named_mutex open(const AgentPlan& plan) {
        const bip::permissions permissions(plan.permissions);
        try {
            switch (plan.open_mode) {
            case OpenMode::create_only:
                return bip::named_mutex(bip::create_only, plan.mutex_name.c_str(), permissions);
            case OpenMode::create_or_open:
                return bip::named_mutex(bip::open_or_create, plan.mutex_name.c_str(), permissions);
            case OpenMode::open_existing:
                return bip::named_mutex(bip::open_only, plan.mutex_name.c_str());
            }
        } catch (const bip::interprocess_exception& e) {
            const int error = e.get_native_error() != 0 ? e.get_native_error() : EIO;
            throw OpenError(error, "cannot open named_mutex '" + plan.mutex_name + "' (" +
                                       std::string(to_string(plan.open_mode)) + "): " + e.what());
        }
        throw OpenError(EINVAL, "unknown open mode");
    }

    bip::named_mutex mutex_;
};

} // namespace

std::unique_ptr<MutexBackend> open_named_mutex(const AgentPlan& plan) {
    return std::make_unique<NamedMutex>(plan);
}

} // namespace ipch
