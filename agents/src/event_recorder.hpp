// Writes the agent's event log: a preallocated, memory-mapped file that survives the agent's
// crash up to its last committed record (see ipch/event_log.hpp).
#pragma once

#include "clock.hpp"
#include "ipch/event_log.hpp"

#include <cstdint>
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

    // Appends one record and publishes it. Grows the file when it is full.
    void record(const EventRecord& event);

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
    void grow();

    std::string path_;
    int fd_ = -1;
    void* base_ = nullptr;
    std::size_t mapped_bytes_ = 0;
    EventLogHeader* header_ = nullptr;
    std::uint64_t next_ = 0; // our own copy of `committed`: we are the only writer
};

} // namespace ipch
