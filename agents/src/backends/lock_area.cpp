#include "backends/lock_area.hpp"

#include "clock.hpp"

#include <atomic>
#include <cerrno>

namespace ipch {

namespace {

// Building a lock object takes microseconds; a second means its builder is gone.
constexpr std::uint64_t build_wait_ns = 1'000'000'000;
constexpr std::uint64_t poll_ns = 100'000;

std::atomic_ref<std::uint32_t> state_of(LockAreaHeader& header) {
    return std::atomic_ref<std::uint32_t>(header.state);
}

OpenError area_error(int error, const AgentPlan& plan, const std::string& what) {
    return OpenError(error, "cannot use the lock area of mapping '" + plan.mapping_name + "' for " +
                                std::string(to_string(plan.mutex_kind)) + ": " + what);
}

bool wait_until_ready(LockAreaHeader& header) {
    const std::uint64_t deadline = now_ns() + build_wait_ns;
    while (state_of(header).load(std::memory_order_acquire) !=
           static_cast<std::uint32_t>(LockAreaState::ready)) {
        if (now_ns() >= deadline) return false;
        sleep_ns(poll_ns);
    }
    return true;
}

} // namespace

LockAreaHeader& lock_area_header(Mapping& mapping) {
    return *reinterpret_cast<LockAreaHeader*>(mapping.lock_area());
}

void* ready_lock_object(const AgentPlan& plan, Mapping& mapping,
                        const std::function<void(void*)>& init, bool& built) {
    built = false;
    if (mapping.layout().header_offset < in_mapping_lock_bytes)
        throw area_error(EINVAL, plan,
                         "it has " + std::to_string(mapping.layout().header_offset) +
                             " bytes; the plan's lock_bytes must be at least " +
                             std::to_string(in_mapping_lock_bytes));
    LockAreaHeader& header = lock_area_header(mapping);
    void* object = mapping.lock_area() + lock_object_offset;
    const std::uint32_t kind = lock_area_kind(plan.mutex_kind);
    auto expected = static_cast<std::uint32_t>(LockAreaState::zero);
    if (state_of(header).compare_exchange_strong(
            expected, static_cast<std::uint32_t>(LockAreaState::initialising),
            std::memory_order_acq_rel)) {
        try {
            init(object);
        } catch (...) {
            // Unbuilt: the next agent to open may try again, rather than wait for nothing.
            state_of(header).store(static_cast<std::uint32_t>(LockAreaState::zero),
                                   std::memory_order_release);
            throw;
        }
        header.kind = kind;
        state_of(header).store(static_cast<std::uint32_t>(LockAreaState::ready),
                               std::memory_order_release);
        built = true;
        return object;
    }
    if (!wait_until_ready(header))
        throw area_error(ETIMEDOUT, plan,
                         "its lock was never finished (the agent building it died?)");
    if (header.kind != kind)
        throw area_error(EINVAL, plan,
                         "it holds the lock of kind code " + std::to_string(header.kind) +
                             " (a mapping reused from a run of another mutex kind?)");
    return object;
}

} // namespace ipch
