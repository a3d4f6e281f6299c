// The objects under test, as one agent opens them: the mapping and the mutex. One type per
// concept; each owns its OS resource and cannot be copied.
#pragma once

#include "ipch/agent_plan.hpp"
#include "ipch/mapping_layout.hpp"
#include "shared_words.hpp"
#include "stamped_writes.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/mapped_region.hpp>
#include <cerrno>
#include <memory>
#include <stdexcept>
#include <string>

namespace ipch {

// Why an object could not be opened: the OS's errno and a sentence with the object's name.
class OpenError : public std::runtime_error {
  public:
    OpenError(int error, const std::string& message) : std::runtime_error(message), error_(error) {}
    int error() const { return error_; }

  private:
    int error_;
};

// The errno behind a Boost.Interprocess exception; EIO when Boost has none to give.
inline int error_of(const boost::interprocess::interprocess_exception& e) {
    return e.get_native_error() != 0 ? e.get_native_error() : EIO;
}

// The mapping under test, of any kind, mapped whole. Only the region is kept: the object's
// handle (a descriptor, a segment id) is not needed once it is mapped.
class Mapping {
  public:
    // Opens (or creates) the mapping of the plan's kind as the plan says; throws OpenError.
    explicit Mapping(const AgentPlan& plan, std::size_t lock_bytes);
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;

    const MappingLayout& layout() const { return layout_; }
    // Inline: the executor asks for them around every critical section.
    MappingHeader& header() const {
        return *reinterpret_cast<MappingHeader*>(lock_area() + layout_.header_offset);
    }
    char* payload() const { return lock_area() + layout_.payload_offset; }
    char* lock_area() const { return static_cast<char*>(region_.get_address()); }

    // What the open found (the open event's flags and identity, docs/agent-protocol.md):
    // whether it created the object; the object's identity (inode, or shmid for xsi); whether
    // it created it and found it not zero-filled, before any critical section had run in it.
    bool created() const { return created_; }
    std::uint64_t identity() const { return identity_; }
    bool not_zero() const { return not_zero_; }

  private:
    boost::interprocess::mapped_region region_;
    MappingLayout layout_{};
    bool created_ = false;
    std::uint64_t identity_ = 0;
    bool not_zero_ = false;
};

// The mutex under test, behind one small interface so each kind lives in its own file.
class MutexBackend {
  public:
    virtual ~MutexBackend() = default;
    virtual void lock() = 0;
    virtual void unlock() = 0;
    // Takes the lock if it is free; false (not taken) if it is not.
    virtual bool try_lock() = 0;
    // Waits for the lock until `deadline_ns` (CLOCK_MONOTONIC, as now_ns()); false at the
    // deadline without it.
    virtual bool timed_lock(std::uint64_t deadline_ns) = 0;
    // Whether the last acquisition took the lock from a holder that died holding it (and made
    // it consistent again): only a robust kind can tell.
    virtual bool recovered() const { return false; }
    // Whether this open created the named mutex, rather than finding it there: what the classic
    // app's bug (and the `classic` seeded fault) goes by.
    virtual bool created() const = 0;
    // Runs `count` of the sampled stress loop's unstamped sections, each between a lock() and an
    // unlock(); every kind derives it from RepeatsWrites, which calls its lock and unlock
    // directly: in a loop whose sections take tens of ns, two calls through this interface per
    // section are a measurable part of what the agent adds to the primitive.
    virtual void repeat_writes(UnstampedWrites& writes, std::uint64_t count) = 0;
    // The same for the stress loop's stamped sections (the full mode's, and sampled mode's every
    // K-th).
    virtual void repeat_stamped_writes(StampedWrites& writes, std::uint64_t count) = 0;
};

// The base of a mutex kind `Kind` (a final class): repeat_writes and repeat_stamped_writes with
// Kind's own lock, unlock and recovered.
template <typename Kind>
class RepeatsWrites : public MutexBackend {
  public:
    void repeat_writes(UnstampedWrites& writes, std::uint64_t count) override {
        Kind& kind = static_cast<Kind&>(*this);
        for (std::uint64_t i = 0; i < count; ++i) {
            kind.lock();
            writes.section();
            kind.unlock();
        }
    }
    void repeat_stamped_writes(StampedWrites& writes, std::uint64_t count) override {
        Kind& kind = static_cast<Kind&>(*this);
        for (std::uint64_t i = 0; i < count; ++i) {
            writes.requested();
            kind.lock();
            writes.inside();
            kind.unlock();
            writes.record(kind.recovered());
        }
    }
};

// The identity of the plan's named mutex object, as the open event records it: the inode of a
// named_mutex's or named_semaphore's /dev/shm/sem.NAME, or of a file_lock's lock file; 0 for a
// kind with no named object, or when it is gone already (another agent's remove).
std::uint64_t mutex_identity(const AgentPlan& plan);

// Opens the plan's mutex kind (kinds that live in the mapping use its lock area); throws
// OpenError.
std::unique_ptr<MutexBackend> open_mutex(const AgentPlan& plan, Mapping& mapping);

// The objects under test as one agent has them open. The mutex is declared last so that it is
// dropped first: a kind that lives in the mapping must not outlive it.
struct OpenObjects {
    std::unique_ptr<Mapping> mapping;
    std::unique_ptr<MutexBackend> mutex;
};

// Opens the mapping, then the mutex (the classic's order) as the plan says; throws OpenError.
OpenObjects open_objects(const AgentPlan& plan);

// Remove the plan's named mapping / mutex from the system (objects still mapped stay usable
// by whoever has them). Each returns 0, or the errno (ENOENT: no such name). A mutex kind
// without a name of its own has nothing to remove and returns 0.
int remove_mapping(const AgentPlan& plan);
int remove_mutex(const AgentPlan& plan);

} // namespace ipch
