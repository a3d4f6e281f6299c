// The `robust_mutex` kind: a pthread mutex, PTHREAD_PROCESS_SHARED and PTHREAD_MUTEX_ROBUST,
// built in the mapping's lock area (lock_area.hpp). When its holder dies, the kernel hands the
// next locker EOWNERDEAD: that agent holds the lock, counts a recovery in the lock area's
// header (what the lock protects is suspect from then on), records it on its event (flag
// `recovered`), and makes the mutex consistent again. ENOTRECOVERABLE (a recoverer that
// unlocked without doing so) is an error. Never destroyed, like interprocess_mutex.
#include "backends/lock_area.hpp"
#include "backends/mutex_kinds.hpp"

#include <atomic>
#include <boost/interprocess/exceptions.hpp>
#include <cerrno>
#include <cstring>
#include <pthread.h>
#include <time.h>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

static_assert(sizeof(pthread_mutex_t) <= lock_object_room);
static_assert(lock_object_offset % alignof(pthread_mutex_t) == 0);

// The executor stops the agent on a lock that fails: it expects Boost's exception type.
bip::interprocess_exception lock_failure(int error, const char* call) {
    return bip::interprocess_exception(
        bip::error_info(error),
        (std::string("robust_mutex: ") + call + ": " + std::strerror(error)).c_str());
}

void build_robust_mutex(const AgentPlan& plan, void* at) {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    int error = pthread_mutexattr_setpshared(&attributes, PTHREAD_PROCESS_SHARED);
    if (error == 0) error = pthread_mutexattr_setrobust(&attributes, PTHREAD_MUTEX_ROBUST);
    if (error == 0) error = pthread_mutex_init(static_cast<pthread_mutex_t*>(at), &attributes);
    pthread_mutexattr_destroy(&attributes);
    if (error != 0)
        throw OpenError(error, "cannot build robust_mutex in mapping '" + plan.mapping_name +
                                   "': " + std::strerror(error));
}

class RobustMutex final : public RepeatsWrites<RobustMutex> {
  public:
    RobustMutex(pthread_mutex_t& mutex, LockAreaHeader& header, bool built)
        : mutex_(mutex), header_(header), built_(built) {}
    bool created() const override { return built_; }
    void lock() override { acquired(pthread_mutex_lock(&mutex_), "pthread_mutex_lock"); }
    void unlock() override {
        if (const int error = pthread_mutex_unlock(&mutex_); error != 0)
            throw lock_failure(error, "pthread_mutex_unlock");
    }
    bool try_lock() override {
        return acquired(pthread_mutex_trylock(&mutex_), "pthread_mutex_trylock");
    }
    bool timed_lock(std::uint64_t deadline_ns) override {
        // The agent's own clock: no conversion, unlike the kinds that wait on CLOCK_REALTIME.
        const timespec deadline{static_cast<time_t>(deadline_ns / 1'000'000'000),
                                static_cast<long>(deadline_ns % 1'000'000'000)};
        return acquired(pthread_mutex_clocklock(&mutex_, CLOCK_MONOTONIC, &deadline),
                        "pthread_mutex_clocklock");
    }
    bool recovered() const override { return recovered_; }

  private:
    bool acquired(int result, const char* call) {
        recovered_ = false;
        switch (result) {
        case 0:
            return true;
        case EOWNERDEAD:
            recover();
            return true;
        case EBUSY:
        case ETIMEDOUT:
            return false;
        default:
            throw lock_failure(result, call);
        }
    }

    // We hold the lock its holder died with: mark the data suspect, then make it usable again.
    void recover() {
        recovered_ = true;
        std::atomic_ref<std::uint32_t>(header_.recoveries).fetch_add(1, std::memory_order_relaxed);
        if (const int error = pthread_mutex_consistent(&mutex_); error != 0)
            throw lock_failure(error, "pthread_mutex_consistent");
    }

    pthread_mutex_t& mutex_;
    LockAreaHeader& header_;
    bool built_;
    bool recovered_ = false;
};

} // namespace

std::unique_ptr<MutexBackend> open_robust_mutex(const AgentPlan& plan, Mapping& mapping) {
    bool built = false;
    void* object = ready_lock_object(
        plan, mapping, [&plan](void* at) { build_robust_mutex(plan, at); }, built);
    return std::make_unique<RobustMutex>(*static_cast<pthread_mutex_t*>(object),
                                         lock_area_header(mapping), built);
}

} // namespace ipch
