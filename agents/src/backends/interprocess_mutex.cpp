// The `interprocess_mutex` kind: Boost's interprocess_mutex, built in the mapping's lock area
// (lock_area.hpp). On Linux it is a process-shared pthread mutex that is not robust: if its
// holder dies, it stays locked for good, like named_mutex. It is never destroyed: other agents
// may still hold it, and it ends with the mapping.
#include "backends/deadline.hpp"
#include "backends/lock_area.hpp"
#include "backends/mutex_kinds.hpp"

#include <boost/interprocess/sync/interprocess_mutex.hpp>
#include <new>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

static_assert(sizeof(bip::interprocess_mutex) <= lock_object_room);
static_assert(lock_object_offset % alignof(bip::interprocess_mutex) == 0);

class InterprocessMutex final : public RepeatsWrites<InterprocessMutex> {
  public:
    InterprocessMutex(bip::interprocess_mutex& mutex, bool built) : mutex_(mutex), built_(built) {}
    void lock() override { mutex_.lock(); }
    void unlock() override { mutex_.unlock(); }
    bool try_lock() override { return mutex_.try_lock(); }
    bool timed_lock(std::uint64_t deadline_ns) override {
        // pthread_mutex_timedlock: CLOCK_REALTIME.
        return mutex_.timed_lock(utc_deadline(deadline_ns));
    }

    bool created() const override { return built_; }

  private:
    bip::interprocess_mutex& mutex_;
    bool built_;
};

} // namespace

std::unique_ptr<MutexBackend> open_interprocess_mutex(const AgentPlan& plan, Mapping& mapping) {
    bool built = false;
    void* object = ready_lock_object(
        plan, mapping,
        [&plan](void* at) {
            try {
                new (at) bip::interprocess_mutex;
            } catch (const bip::interprocess_exception& e) {
                throw OpenError(error_of(e), "cannot build interprocess_mutex in mapping '" +
                                                 plan.mapping_name + "': " + e.what());
            }
        },
        built);
    return std::make_unique<InterprocessMutex>(
        *std::launder(static_cast<bip::interprocess_mutex*>(object)), built);
}

} // namespace ipch
