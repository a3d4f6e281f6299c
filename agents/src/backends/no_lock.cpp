// The `none` kind: locks nothing. A negative control: the checker must catch it.
#include "backends/mutex_kinds.hpp"

namespace ipch {

namespace {

class NoLock final : public RepeatsWrites<NoLock> {
  public:
    void lock() override {}
    void unlock() override {}
    bool try_lock() override { return true; }
    bool timed_lock(std::uint64_t) override { return true; }
    bool created() const override { return true; } // nothing was there before it
};

} // namespace

std::unique_ptr<MutexBackend> open_no_lock(const AgentPlan&) {
    return std::make_unique<NoLock>();
}

} // namespace ipch
