// The `spin` kind: a 32-bit word in the mapping's lock area (lock_area.hpp), 0 free and 1
// held, taken by test-and-test-and-set: read until it looks free, then exchange. A waiter
// backs off with the CPU's pause hint, doubling up to 64 pauses, then yields its core: on a
// machine with fewer cores than agents the holder must get to run. The word has no owner: a
// holder that dies leaves it held for good.
#include "backends/lock_area.hpp"
#include "backends/mutex_kinds.hpp"
#include "clock.hpp"

#include <atomic>
#include <sched.h>

namespace ipch {

namespace {

constexpr std::uint32_t free_word = 0;
constexpr std::uint32_t held_word = 1;

void cpu_pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

class Backoff {
  public:
    void wait() {
        if (pauses_ > max_pauses) {
            sched_yield();
            return;
        }
        for (unsigned i = 0; i < pauses_; ++i)
            cpu_pause();
        pauses_ *= 2;
    }

  private:
    static constexpr unsigned max_pauses = 64;
    unsigned pauses_ = 1;
};

class SpinLock final : public RepeatsWrites<SpinLock> {
  public:
    SpinLock(std::uint32_t& word, bool built) : word_(word), built_(built) {}
    bool created() const override { return built_; }
    void lock() override {
        Backoff backoff;
        while (!try_lock())
            backoff.wait();
    }
    void unlock() override { word_.store(free_word, std::memory_order_release); }
    bool try_lock() override {
        return word_.load(std::memory_order_relaxed) == free_word &&
               word_.exchange(held_word, std::memory_order_acquire) == free_word;
    }
    bool timed_lock(std::uint64_t deadline_ns) override {
        Backoff backoff;
        while (!try_lock()) {
            if (now_ns() >= deadline_ns) return false;
            backoff.wait();
        }
        return true;
    }

  private:
    std::atomic_ref<std::uint32_t> word_;
    bool built_;
};

static_assert(std::atomic_ref<std::uint32_t>::is_always_lock_free, "the word is shared memory");

} // namespace

std::unique_ptr<MutexBackend> open_spin_lock(const AgentPlan& plan, Mapping& mapping) {
    // A zero-filled word is already free: building it only stores that.
    bool built = false;
    void* object = ready_lock_object(
        plan, mapping,
        [](void* at) {
            std::atomic_ref<std::uint32_t>(*static_cast<std::uint32_t*>(at))
                .store(free_word, std::memory_order_relaxed);
        },
        built);
    return std::make_unique<SpinLock>(*static_cast<std::uint32_t*>(object), built);
}

} // namespace ipch
