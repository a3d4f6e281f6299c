// The `named_mutex` kind: Boost's named_mutex. On Linux it is a POSIX named semaphore
// (/dev/shm/sem.NAME) with no owner: if its holder dies, it stays locked forever.
#include "backends/mutex_kinds.hpp"
#include "clock.hpp"

#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <cerrno>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

class NamedMutex final : public MutexBackend {
  public:
    explicit NamedMutex(const AgentPlan& plan) : mutex_(open(plan, created_)) {}
    void lock() override { mutex_.lock(); }
    void unlock() override { mutex_.unlock(); }
    bool try_lock() override { return mutex_.try_lock(); }
    bool timed_lock(std::uint64_t deadline_ns) override {
        // Boost takes an absolute UTC time (sem_timedwait's CLOCK_REALTIME): convert what is
        // left of the monotonic deadline, rounded up so that it never gives up early.
        const std::uint64_t now = now_ns();
        const std::uint64_t left_us = deadline_ns > now ? (deadline_ns - now + 999) / 1000 : 0;
        return mutex_.timed_lock(boost::posix_time::microsec_clock::universal_time() +
                                 boost::posix_time::microseconds(static_cast<long>(left_us)));
    }
    bool created() const override { return created_; }

  private:
    static bip::named_mutex open(const AgentPlan& plan, bool& created) {
        try {
            return open_as_planned(plan, created);
        } catch (const bip::interprocess_exception& e) {
            const int error = e.get_native_error() != 0 ? e.get_native_error() : EIO;
            throw OpenError(error, "cannot open named_mutex '" + plan.mutex_name + "' (" +
                                       std::string(to_string(plan.open_mode)) + "): " + e.what());
        }
    }

    static bip::named_mutex open_as_planned(const AgentPlan& plan, bool& created) {
        const bip::permissions permissions(plan.permissions);
        const char* name = plan.mutex_name.c_str();
        switch (plan.open_mode) {
        case OpenMode::create_only:
            created = true;
            return bip::named_mutex(bip::create_only, name, permissions);
        case OpenMode::open_existing:
            return bip::named_mutex(bip::open_only, name);
        case OpenMode::create_or_open:
            break;
        }
        // Boost's open_or_create does not say whether it created; create_only, then open_only,
        // does. Should the mutex vanish in between (another agent's remove), create it again.
        for (int attempt = 1;; ++attempt) {
            try {
                created = true;
                return bip::named_mutex(bip::create_only, name, permissions);
            } catch (const bip::interprocess_exception& e) {
                if (e.get_error_code() != bip::already_exists_error) throw;
            }
            try {
                created = false;
                return bip::named_mutex(bip::open_only, name);
            } catch (const bip::interprocess_exception& e) {
                if (e.get_error_code() != bip::not_found_error || attempt == 3) throw;
            }
        }
    }

    bool created_ = false; // before mutex_: open() sets it while mutex_ is initialised
    bip::named_mutex mutex_;
};

} // namespace

std::unique_ptr<MutexBackend> open_named_mutex(const AgentPlan& plan) {
    return std::make_unique<NamedMutex>(plan);
}

} // namespace ipch
