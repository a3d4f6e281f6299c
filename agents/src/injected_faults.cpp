#include "injected_faults.hpp"

namespace ipch {

namespace {

// "faults" in ASCII: any constant apart from 0 gives a stream other than the sleeps'.
constexpr std::uint64_t fault_stream = 0x6661756c7473ull;

} // namespace

InjectedFaults::InjectedFaults(const AgentPlan& plan)
    : faults_(plan.faults), dice_(plan.seed ^ fault_stream) {}

FaultyMutex::FaultyMutex(std::unique_ptr<MutexBackend> real, FaultKind fault)
    : real_(std::move(real)), skips_(fault == FaultKind::skip_lock || fault == FaultKind::classic) {
}

void FaultyMutex::lock() {
    if (!skips_) real_->lock();
}

void FaultyMutex::unlock() {
    if (skips_) return;
    real_->unlock();
    // double-unlock: on a semaphore (named_mutex) this raises the count to 2, and from then on
    // two agents can hold the lock at once; an fcntl lock (file_lock) ignores it.
    real_->unlock();
}

bool FaultyMutex::try_lock() {
    return skips_ || real_->try_lock();
}

bool FaultyMutex::timed_lock(std::uint64_t deadline_ns) {
    return skips_ || real_->timed_lock(deadline_ns);
}

} // namespace ipch
