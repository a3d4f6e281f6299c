// The seeded faults an agent's plan asks for (agent_plan.hpp, FaultKind): whether one fires for
// an op, drawn from the agent's seed, and the stand-in mutex through which a buggy library
// skips a lock or unlocks twice. The executor applies them (executor_injected_faults.cpp).
#pragma once

#include "backend.hpp"
#include "ipch/agent_plan.hpp"
#include "ipch/mapping_layout.hpp"
#include "jitter.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ipch {

class InjectedFaults {
  public:
    explicit InjectedFaults(const AgentPlan& plan);

    // Whether the plan asks for any fault: the one check an op pays when none is asked for,
    // made before the op locks anything.
    bool any() const { return !faults_.empty(); }

    // The fault that fires for one op: each fault the op is eligible for (`applies(kind)`) draws
    // in the plan's order, and the first that fires is the one. nullopt: the op runs as written.
    template <typename Applies>
    std::optional<FaultKind> draw(Applies&& applies) {
        for (const FaultSpec& fault : faults_)
            if (applies(fault.kind) && dice_.chance(fault.probability)) return fault.kind;
        return std::nullopt;
    }

    // stale-read: the message it serves, once the first read it affected has read one.
    struct CachedMessage {
        MessageHeader header{};
        std::string payload;
    };
    std::optional<CachedMessage> cached;

  private:
    std::vector<FaultSpec> faults_;
    // A stream of its own, so that asking for a fault changes none of the sleeps a seed draws.
    Jitter dice_;
};

// The mutex under test as a buggy library drives it, standing in for it (and owning it) while a
// fault runs: skip-lock and classic never lock or unlock it; double-unlock unlocks it twice.
class FaultyMutex final : public RepeatsWrites<FaultyMutex> {
  public:
    FaultyMutex(std::unique_ptr<MutexBackend> real, FaultKind fault);

    void lock() override;
    void unlock() override;
    bool try_lock() override;
    bool timed_lock(std::uint64_t deadline_ns) override;
    bool created() const override { return real_->created(); }

    // Gives the mutex under test back.
    std::unique_ptr<MutexBackend> take_real() { return std::move(real_); }

  private:
    std::unique_ptr<MutexBackend> real_;
    bool skips_; // skip-lock, classic: neither lock nor unlock
};

} // namespace ipch
