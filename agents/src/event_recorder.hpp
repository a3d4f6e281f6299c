// Writes the agent's event log: a preallocated, memory-mapped file that survives the agent's
// crash up to its last committed record (see ipch/event_log.hpp).
//
// The log's pages are made present before records reach them (MADV_POPULATE_WRITE): the first
// capacity at creation, before the agent's run starts, then a chunk at a time. Left to page
// faults, ext4 zero-fills each fallocated page on its first touch, one fault per 42 records,
// which on this project's VM cost more than the records written into the page; populated in one
// call, a page costs about half as much, and the initial capacity nothing inside the run.
#pragma once

#include "clock.hpp"
#include "ipch/event_log.hpp"

#include <cstdint>
#include <cstring>
#include <string>

namespace ipch {

class EventRecorder {
  public:
    // Creates (truncates) the log at `path` with room for `capacity` records; throws
    // std::runtime_error naming the path and the OS's reason.
    EventRecorder(const std::string& path, std::uint32_t agent_id, std::uint64_t capacity);
    EventRecorder(const EventRecorder&) = delete;
    EventRecorder& operator=(const EventRecorder&) = delete;
    ~EventRecorder();

    // Appends one record and publishes it. Grows the file when it is full. Inline: the stress
    // loop records one event per stamped section.
    void record(const EventRecord& event) {
        if (next_ == ready_) make_room();
        std::memcpy(static_cast<char*>(base_) + event_log_offset(next_), &event, sizeof event);
        ++next_;
        // Release: a reader that sees the new count sees the whole record.
        header_->committed.store(next_, std::memory_order_release);
        // The next record's slot, fetched for writing now: in sampled timing it is written 64
        // sections from here, and would otherwise miss the cache every time.
        char* slot = static_cast<char*>(base_) + event_log_offset(next_);
        __builtin_prefetch(slot, 1);
        __builtin_prefetch(slot + sizeof(EventRecord) - 1, 1);
    }

    // Rewrites the times of the records from `first` on with `correction` (the TSC times an
    // agent made with its start calibration, to its whole run's: agent_clock.hpp).
    void correct_times(std::uint64_t first, const TimeCorrection& correction);

    // How the agent's clock held, into the header.
    void set_clock_report(const LogClock& report);

    // Marks the log finished or failed and stamps its end time.
    void close(LogStatus status);

    std::uint64_t committed() const;

  private:
    void map(std::uint64_t capacity);
    // Before record `next_` is written: grows the file if it is full, and populates the pages
    // of the next chunk of records.
    void make_room();
    // Makes the pages of records [from, to) present and writable; best effort (a kernel older
    // than 5.14 has no MADV_POPULATE_WRITE: the records then fault their pages in as before).
    void populate(std::uint64_t from, std::uint64_t to);

    std::string path_;
    int fd_ = -1;
    void* base_ = nullptr;
    std::size_t mapped_bytes_ = 0;
    EventLogHeader* header_ = nullptr;
    std::uint64_t next_ = 0;  // our own copy of `committed`: we are the only writer
    std::uint64_t ready_ = 0; // records whose pages are populated, up to the capacity
};

} // namespace ipch
