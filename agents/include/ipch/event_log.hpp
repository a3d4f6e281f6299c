// The per-agent event log: the one binary format the agent writes and the harness reads.
//
// A log is a regular file in the run directory, memory-mapped MAP_SHARED by the agent. The
// kernel keeps the pages of a dead process, so a crash keeps every record whose `committed`
// count was published: the agent writes a record first, then advances `committed` with release
// ordering. Records are fixed-size, so a reader can take the valid prefix of a damaged file.
//
// Bump `event_log_version` on any change of layout or meaning.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ipch {

inline constexpr std::uint32_t event_log_magic = 0x474c4349; // "ICLG" little-endian
inline constexpr std::uint16_t event_log_version = 3;

enum class OpKind : std::uint16_t {
    open = 1,        // open the mapping (and mutex) as the plan says
    write = 2,       // lock, write one message, unlock
    read = 3,        // lock, read the message, unlock
    wait_for = 4,    // one attempt of a wait_for: lock, read, unlock (one event per attempt)
    hold = 5,        // lock, hold for a duration, unlock
    sleep = 6,       // outside the lock
    close = 7,       // drop this agent's handles on the mapping and mutex (outside the lock)
    remove = 8,      // remove the named mapping and mutex from the system (outside the lock)
    increment = 9,   // lock, counter += 1 (read, then write), unlock; msg_writer_seq = value read
    lock = 10,       // explicit lock: the ops up to the matching unlock run inside one section
    unlock = 11,     // explicit unlock: its event carries the whole section (requested..released)
    try_lock = 12,   // one attempt: ok (acquired, as lock) or busy (not acquired)
    timed_lock = 13, // waits up to its timeout: ok (acquired, as lock) or timeout
    barrier = 14,    // meets other agents on the harness's control object, not the mutex
    crash = 15,      // fault injection: recorded, then the agent SIGKILLs itself
};

std::string_view to_string(OpKind kind);

// Whether an op of this kind takes the lock under test by itself: a critical section of its own,
// or the lock that opens an explicit section. A crash op may take it too, but never gives it
// back, and an unlock only closes a section another op opened.
inline constexpr bool takes_lock_itself(OpKind kind) {
    switch (kind) {
    case OpKind::write:
    case OpKind::read:
    case OpKind::wait_for:
    case OpKind::hold:
    case OpKind::increment:
    case OpKind::lock:
    case OpKind::try_lock:
    case OpKind::timed_lock:
        return true;
    default:
        return false;
    }
}

enum class Outcome : std::uint16_t {
    ok = 0,
    error = 1,    // the op failed; `error` holds the errno (or an ipch error code)
    timeout = 2,  // a wait_for gave up at its deadline
    pending = 3,  // a wait_for attempt that did not yet see its message (another attempt follows)
    mismatch = 4, // a read whose `expect` did not match what it observed
    busy = 5,     // a try_lock that found the lock taken
    skipped = 6,  // not run: the try_lock / timed_lock of its section did not acquire the lock
};

std::string_view to_string(Outcome outcome);

// Which clock the times in a log come from. Times are always converted to nanoseconds before
// they are written; the kind says what they mean.
enum class ClockKind : std::uint16_t {
    monotonic = 1, // CLOCK_MONOTONIC, shared by every process of a host
};

// What an agent read to make those nanoseconds (EventLogHeader::clock_report): clock_gettime
// for every time, or the TSC converted by a calibration against CLOCK_MONOTONIC (docs/stress.md,
// "Clock"). The times are CLOCK_MONOTONIC ns either way.
enum class ClockSource : std::uint16_t {
    monotonic = 0,
    tsc = 1,
};
// Why an agent that might have used the TSC did not.
enum class ClockFallback : std::uint16_t {
    none = 0,
    asked = 1,         // its plan asked for CLOCK_MONOTONIC
    not_invariant = 2, // no constant_tsc and nonstop_tsc in /proc/cpuinfo, or not x86-64
    calibration = 3, // the start calibration gave no plausible rate, or its reads were interrupted
};
std::string_view to_string(ClockSource source);     // monotonic, tsc
std::string_view to_string(ClockFallback fallback); // "", asked, not-invariant, calibration

// How the agent's clock held. Written when the run starts (a provisional report when the TSC
// took over: the agent's times are then uncorrected until the end) and again, final, when the log
// is closed. All zero before the run starts, and in older logs: clock_gettime's.
struct LogClock {
    ClockSource source;
    ClockFallback fallback;
    // tsc: its two calibrations' rates differed by more than their reads' windows explain (the
    // TSC did not tick evenly); error_ns is then at least |drift_ns|
    std::uint32_t disagreed;
    // tsc: where the start calibration put the end, minus CLOCK_MONOTONIC's end (the times were
    // then corrected to the whole run's calibration)
    std::int64_t drift_ns;
    // how far any time of the log may be from CLOCK_MONOTONIC's (0 for clock_gettime): the
    // checker compares times across agents with at least this tolerance
    std::uint64_t error_ns;
    std::uint64_t tsc_khz; // tsc: the rate measured over the whole run (provisional: its start)
    // 1 in the report written at the run's start, 0 in the final one: a log that still holds it
    // is a dead agent's, whose TSC times were never corrected. Their bound is then error_ns
    // (the base) plus error_ns_per_s for every second since since_ns (clock_error_bound), as
    // long as the TSC ticked evenly, which only the end's calibration could have checked.
    std::uint32_t provisional;
    std::uint32_t error_ns_per_s; // provisional: how fast the error may grow
    std::uint64_t since_ns;       // provisional: when the TSC took over
};
static_assert(sizeof(LogClock) == 48, "LogClock is part of the on-disk format");

// How far a time up to `latest_ns` of a log with this report may be from CLOCK_MONOTONIC's:
// error_ns, widened for a provisional report by its growth since it was written; at most 2^64 - 1
// (a damaged log's figures can make it any size).
std::uint64_t clock_error_bound(const LogClock& clock, std::uint64_t latest_ns);

// Bits of EventRecord::flags.
namespace event_flag {
inline constexpr std::uint32_t critical_section = 1u << 0; // acquired/released/stamp are valid
inline constexpr std::uint32_t owner_busy = 1u
                                            << 1; // another agent of this run owned it at acquire
inline constexpr std::uint32_t owner_changed = 1u << 2; // owner word not ours at release
inline constexpr std::uint32_t torn = 1u << 3;          // observed length or checksum invalid
inline constexpr std::uint32_t observed = 1u << 4;      // the msg_* fields describe a read message
inline constexpr std::uint32_t written = 1u << 5;       // the msg_* fields describe our own write
inline constexpr std::uint32_t expect = 1u << 6; // a read that compared what it saw with a text
// Ran inside an explicit lock/unlock section: `stamp` is the section's (taken at the lock); the
// section itself is the unlock's event (critical_section set there, not here).
inline constexpr std::uint32_t in_section = 1u << 7;
// The agent was inside a critical section when this event was recorded and never left it (a
// crash op holding the lock): t_acquired and stamp are valid, t_released is 0.
inline constexpr std::uint32_t unreleased = 1u << 8;
inline constexpr std::uint32_t any_valid = 1u << 9; // a read with `expect: any-valid`
// The lock was taken from a holder that died holding it (a robust mutex's EOWNERDEAD): the
// agent made it consistent again, and what it protects may be half-written.
inline constexpr std::uint32_t recovered = 1u << 10;
// Open events: what the open found. Every open event (the one at start too) records its
// mapping's identity in msg_checksum (the inode of an shm or file mapping, the shmid of an xsi
// one) and its mutex's in computed_checksum (the inode of a named_mutex's or named_semaphore's
// /dev/shm/sem.NAME, of a file_lock's lock file; 0 for kinds with no named object).
inline constexpr std::uint32_t created = 1u << 11;       // this open created the mapping
inline constexpr std::uint32_t created_mutex = 1u << 12; // ... and the named mutex object
// This open created the mapping, no critical section had run in it yet (stamp 0), and what
// follows the lock area (header, payload, guard) was not all zero: not a fresh, zero-filled one.
inline constexpr std::uint32_t not_zero = 1u << 13;
inline constexpr std::uint32_t create_or_open = 1u << 14; // the open's mode was create_or_open
// Sampled timing (AgentPlan::timing): not an op instance but a count of those of op `op_id` that
// ran unstamped and unrecorded since its last event: msg_writer_seq holds the count, t_requested
// and t_released when it was written (after the last of them released the lock).
inline constexpr std::uint32_t tally = 1u << 15;
} // namespace event_flag

// Every flag's name, as reports and JSON-lines event files write it.
struct EventFlagName {
    std::string_view name;
    std::uint32_t bit;
};
inline constexpr std::array<EventFlagName, 16> event_flag_table{{
    {"critical_section", event_flag::critical_section},
    {"owner_busy", event_flag::owner_busy},
    {"owner_changed", event_flag::owner_changed},
    {"torn", event_flag::torn},
    {"observed", event_flag::observed},
    {"written", event_flag::written},
    {"expect", event_flag::expect},
    {"in_section", event_flag::in_section},
    {"unreleased", event_flag::unreleased},
    {"any_valid", event_flag::any_valid},
    {"recovered", event_flag::recovered},
    {"created", event_flag::created},
    {"created_mutex", event_flag::created_mutex},
    {"not_zero", event_flag::not_zero},
    {"create_or_open", event_flag::create_or_open},
    {"tally", event_flag::tally},
}};

// ipch's own error codes, above any errno.
namespace event_error {
inline constexpr std::int32_t too_large = 10001;      // a write larger than the mapping's capacity
inline constexpr std::int32_t not_open = 10002;       // an op that needs the objects, before open
inline constexpr std::int32_t not_held = 10003;       // unlock without holding the lock
inline constexpr std::int32_t barrier_broken = 10004; // a participant ended without arriving
} // namespace event_error

struct EventRecord {
    std::uint32_t op_id;       // the op's id in the agent's plan (pre-order over the op tree)
    OpKind kind;               //
    Outcome outcome;           //
    std::uint64_t seq;         // agent-local op sequence: one per executed op instance
    std::uint32_t attempt;     // attempt number within the op instance (wait_for polls), from 0
    std::uint32_t flags;       // event_flag bits
    std::uint64_t t_requested; // ns: before asking for the lock (or the op's start)
    std::uint64_t t_acquired;  // ns: after the lock was acquired (inside the critical section)
    std::uint64_t t_released;  // ns: before the unlock (inside), or the op's end
    std::uint64_t stamp;       // lock-order stamp taken inside the critical section, from 1
    std::uint32_t msg_writer;  // message identity written or observed (writer agent id; 0: none)
    std::uint32_t msg_length;  // as found in the message header
    std::uint64_t msg_writer_seq;
    std::uint64_t msg_checksum;      // as found in the message header
    std::uint64_t computed_checksum; // a read's checksum of the payload it saw
    std::int32_t error;              // errno or event_error code; 0 when ok
    std::uint32_t owner_seen;        // the owner word found at acquire (0: free)
};
static_assert(sizeof(EventRecord) == 96, "EventRecord is part of the on-disk format");

enum class LogStatus : std::uint32_t {
    running = 1,
    finished = 2, // every op ran
    failed = 3,   // the agent stopped on an error it recorded
};

struct EventLogHeader {
    std::uint32_t magic;
    std::uint16_t version;
    std::uint16_t header_size;
    std::uint32_t record_size;
    std::uint32_t agent_id;
    ClockKind clock;
    std::uint16_t reserved0;
    std::uint32_t pid;
    std::uint64_t capacity;               // records the file has room for
    std::atomic<std::uint64_t> committed; // records fully written (release-published)
    std::atomic<std::uint32_t> status;    // LogStatus
    std::uint32_t reserved1;
    std::uint64_t t_start; // ns, when the agent opened its log
    std::uint64_t t_end;   // ns, when the agent closed it (0 while running)
    // Added in the header's padding (zero in older logs, which read as clock_gettime's):
    LogClock clock_report;
    std::uint8_t padding[256 - 112];
};
static_assert(sizeof(EventLogHeader) == 256, "EventLogHeader is part of the on-disk format");
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "committed lives in shared memory");

inline constexpr std::size_t event_log_offset(std::uint64_t index) {
    return sizeof(EventLogHeader) + index * sizeof(EventRecord);
}

} // namespace ipch
