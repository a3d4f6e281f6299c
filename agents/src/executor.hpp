// Executes an agent's op tree against the mapping and mutex, recording one event per op.
//
// The member functions live in several files, one per family of ops: executor.cpp (the op
// tree, events), executor_objects.cpp (open, close, remove), executor_messages.cpp (write,
// read, wait_for, hold, increment, sleep), executor_sections.cpp (critical sections: implicit
// ones around each op and explicit lock..unlock ones), executor_faults.cpp (barrier, crash),
// executor_injected_faults.cpp (the seeded faults: the same ops as a buggy library runs them).
#pragma once

#include "backend.hpp"
#include "control.hpp"
#include "event_recorder.hpp"
#include "injected_faults.hpp"
#include "ipch/agent_plan.hpp"
#include "jitter.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ipch {

// The harness stopped the run while the agent waited at a barrier.
class RunAborted : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class Executor {
  public:
    Executor(const AgentPlan& plan, EventRecorder& recorder, ControlClient* control);

    // Whether the plan's op tree has an `open` op: the agent then opens nothing at start.
    bool opens_itself() const;
    // Opens the objects as the plan says, recording the `open` event of op id 0; false when it
    // failed (recorded with its errno).
    bool open_at_start();

    // Runs every op of the plan. Throws std::runtime_error on a failure that stops the agent
    // (after recording it as an error event), RunAborted when the harness stopped the run.
    void run();

  private:
    // What one critical section saw and did.
    struct Section {
        std::uint64_t t_requested = 0;
        std::uint64_t t_acquired = 0;
        std::uint64_t t_released = 0;
        std::uint64_t stamp = 0;
        std::uint32_t flags = 0;
        std::uint32_t owner_seen = 0;
    };

    void run_ops(const std::vector<PlanOp>& ops);
    void run_repeat(const PlanOp& op);
    // Runs a repeat's body `times` times.
    void run_body(const PlanOp& repeat, std::uint64_t times);
    // A body of one write, in a run without faults, outside any section: run_leaf's checks hold
    // for every instance, so the loop calls write() directly (executor_sampling.cpp).
    bool is_plain_write_body(const PlanOp& repeat) const;
    void run_writes(const PlanOp& op, std::uint64_t times);
    // How many of the next `at_most` instances of `op` run unstamped in a row, in sampled timing
    // with its payload built once (run_writes asks only then); 0: the next one is stamped.
    std::uint64_t unstamped_run(const PlanOp& op, std::uint64_t at_most) const;
    // Runs `count` unstamped instances of `op` and counts them, as runs_unstamped would.
    void write_unstamped_run(const PlanOp& op, std::uint64_t count);
    void run_leaf(const PlanOp& op);
    void dispatch(const PlanOp& op);
    bool needs_objects(const PlanOp& op) const;

    // executor_objects.cpp
    bool open_objects(const PlanOp* op, OpenMode mode);
    void describe_open(EventRecord& event, OpenMode mode) const;
    void open(const PlanOp& op);
    void close(const PlanOp& op);
    void remove(const PlanOp& op);
    void drop_objects();

    // executor_messages.cpp
    // A message ready to write: its payload (in payloads_, valid up to the op's next write) and
    // header.
    struct Outgoing {
        std::string_view payload;
        MessageHeader header{};
    };
    // The payload a write op built last, and its checksum. A template without {seq} gives the
    // same payload every time: it is built and summed once, not on every write.
    struct BuiltPayload {
        std::string text;
        std::uint64_t checksum = 0;
        bool reusable = false;
    };
    void write(const PlanOp& op);
    // An unstamped write (sampled timing) of the payload built last for `op`.
    void write_unstamped(const PlanOp& op, const Outgoing& message);
    // The message `op` writes next; nullopt when it is too large (recorded as an error event).
    std::optional<Outgoing> outgoing_message(const PlanOp& op);
    // After the section that wrote `message`: counts the write and records its event.
    void record_write(const PlanOp& op, const Section& section, const MessageHeader& message);
    void read(const PlanOp& op);
    // After the section that copied `header` (and its payload into read_buffer_): the event.
    void record_read(const PlanOp& op, const Section& section, const MessageHeader& header);
    void wait_for(const PlanOp& op);
    void hold(const PlanOp& op);
    void increment(const PlanOp& op);
    void sleep(const PlanOp& op);
    std::string payload_for(const PlanOp& op, std::uint64_t writer_seq) const;

    // executor_sampling.cpp (TimingMode::sampled)
    // Whether this instance of `op` runs unstamped: a write or hold that is a section of its
    // own, in a sampled plan, other than every sample_every-th instance; it is then counted.
    bool runs_unstamped(const PlanOp& op);
    // One tally event per op that ran unrecorded instances since its last event.
    void record_tallies();
    // Runs `count` stamped instances of a plain write body's `op`, its payload built: the
    // sections and events write() makes, everything they need looked up once.
    void write_stamped_run(const PlanOp& op, std::uint64_t count);
    // What those loops write: `op`'s built payload, the message after this agent's last write.
    WriteTarget write_target(const PlanOp& op) const;
    // Locks, runs `body`, unlocks: the owner word as every section keeps it (so that a stamped
    // section overlapping it is caught), but no clock, no lock-order stamp and no event.
    template <typename Body>
    void unstamped(Body&& body);

    // executor_sections.cpp
    // After the mutex is acquired: the owner word and the stamp. `header` is the mapping's,
    // looked up before the lock: nothing but the section's own work runs while it is held.
    // Returns the acquire's clock reading, for the caller to convert (reading_ns) into
    // t_acquired where that lengthens no section: after the unlock.
    [[nodiscard]] std::uint64_t enter(Section& section, MappingHeader& header);
    // Before the mutex is released: the owner word check; then the unlock, and note_recovery.
    void leave(Section& section, MappingHeader& header);
    // Flags the section `recovered` when its acquire took the lock from a holder that died.
    void note_recovery(Section& section) const;
    // Locks, runs `body` inside the critical section, unlocks.
    template <typename Body>
    Section locked(Body&& body);
    // Runs `body` inside the explicit section when one is open (without locking), else inside
    // a critical section of its own.
    template <typename Body>
    Section critical(Body&& body);
    void begin_section(const PlanOp& op);
    void end_section(const PlanOp& op);

    // executor_faults.cpp
    void barrier(const PlanOp& op);
    void crash(const PlanOp& op);
    // mid-write: a new message header and half its payload, recorded in `event`.
    void half_write(const PlanOp& op, EventRecord& event);
    // Leaves an explicit section still open (a plan that ends in one, an op that threw in one).
    void release_open_section();
    [[noreturn]] static void die();

    // executor_injected_faults.cpp
    // Runs `op` as a buggy library would when one of the plan's faults fires for it (recording
    // its events as that library would claim them); false when none fires, and nothing ran.
    bool run_with_fault(const PlanOp& op);
    bool fault_applies(FaultKind fault, const PlanOp& op) const;
    // skip-lock, classic, double-unlock: the op (or the section it opens) through FaultyMutex.
    void run_with_stand_in(const PlanOp& op, FaultKind fault);
    void put_back_mutex();
    void write_releasing_early(const PlanOp& op);
    void write_torn(const PlanOp& op);
    void read_stale(const PlanOp& op);
    void increment_relocking(const PlanOp& op);

    // Inside a critical section: copies the current message into read_buffer_.
    MessageHeader copy_message(const MappingHeader& mapping_header);
    // After it: fills the event's observation fields; returns the payload seen.
    std::string_view observe(const MessageHeader& header, EventRecord& event) const;

    EventRecord event_for(const PlanOp& op, const Section& section) const;
    // An event of an op outside any critical section, requested and ended now.
    EventRecord instant_event(const PlanOp& op) const;
    void record_error(const PlanOp& op, std::int32_t error);
    std::size_t capacity() const { return objects_.mapping->layout().capacity; }
    bool is_open() const { return objects_.mapping != nullptr; }

    const AgentPlan& plan_;
    EventRecorder& recorder_;
    ControlClient* control_;
    OpenObjects objects_;      // empty while not open
    std::uint64_t seq_ = 0;    // op instances executed
    std::uint64_t writes_ = 0; // messages written
    std::uint32_t owner_token_;
    Jitter jitter_;
    std::unique_ptr<char[]> read_buffer_; // capacity() bytes, allocated at open
    std::size_t read_buffer_size_ = 0;
    // The explicit lock..unlock section this agent is inside, if any.
    std::optional<Section> section_;
    // A try_lock / timed_lock did not acquire: ops are skipped up to the matching unlock.
    bool skipping_ = false;
    InjectedFaults faults_;
    // objects_.mutex is a FaultyMutex, up to the end of the op or of the section it opened.
    bool stand_in_ = false;
    std::vector<BuiltPayload> payloads_; // by op id
    // Sampled timing, by op id (empty in full mode): instances left before the next stamped one,
    // and those that ran unrecorded since the op's last event.
    struct Tally {
        OpKind kind = OpKind::write;
        std::uint32_t until_stamped = 0;
        std::uint64_t unrecorded = 0;
    };
    std::vector<Tally> tallies_;
};

} // namespace ipch
