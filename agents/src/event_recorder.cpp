#include "event_recorder.hpp"

#include "clock.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/mman.h>
#include <unistd.h>

namespace ipch {

namespace {

// Records populated at a time once the log is running: 1 MiB of pages, a few hundred us of work,
// and at most that much memory made present ahead of the records.
constexpr std::uint64_t populate_chunk_records = (1u << 20) / sizeof(EventRecord);

[[noreturn]] void fail(const std::string& what, const std::string& path) {
    throw std::runtime_error(what + " event log '" + path + "': " + std::strerror(errno));
}

} // namespace

EventRecorder::EventRecorder(const std::string& path, std::uint32_t agent_id,
                             std::uint64_t capacity)
    : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd_ < 0) fail("cannot create", path);
    map(capacity < 16 ? 16 : capacity);
    header_->magic = event_log_magic;
    header_->version = event_log_version;
    header_->header_size = sizeof(EventLogHeader);
    header_->record_size = sizeof(EventRecord);
    header_->agent_id = agent_id;
    header_->clock = ClockKind::monotonic;
    header_->pid = static_cast<std::uint32_t>(::getpid());
    header_->t_start = now_ns();
    header_->status.store(static_cast<std::uint32_t>(LogStatus::running),
                          std::memory_order_release);
    // The whole first capacity now: the agent starts its run after this.
    populate(0, header_->capacity);
}

EventRecorder::~EventRecorder() {
    if (base_) ::munmap(base_, mapped_bytes_);
    if (fd_ >= 0) ::close(fd_);
}

void EventRecorder::map(std::uint64_t capacity) {
    const std::size_t bytes = event_log_offset(capacity);
    // posix_fallocate reserves the blocks now, so a full disk fails here and not as a SIGBUS
    // in the middle of the run.
    if (const int rc = ::posix_fallocate(fd_, 0, static_cast<off_t>(bytes)); rc != 0) {
        errno = rc;
        fail("cannot allocate", path_);
    }
    void* base = base_ ? ::mremap(base_, mapped_bytes_, bytes, MREMAP_MAYMOVE)
                       : ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (base == MAP_FAILED) fail("cannot map", path_);
    base_ = base;
    mapped_bytes_ = bytes;
    header_ = static_cast<EventLogHeader*>(base_);
    header_->capacity = capacity;
}

void EventRecorder::make_room() {
    if (next_ == header_->capacity) map(header_->capacity * 2);
    populate(next_, std::min(header_->capacity, next_ + populate_chunk_records));
}

void EventRecorder::populate(std::uint64_t from, std::uint64_t to) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t begin = event_log_offset(from) / page * page;
    const std::size_t end = event_log_offset(to);
    if (end > begin)
        (void)::madvise(static_cast<char*>(base_) + begin, end - begin, MADV_POPULATE_WRITE);
    ready_ = to;
}

void EventRecorder::correct_times(std::uint64_t first, const TimeCorrection& correction) {
    auto* records = reinterpret_cast<EventRecord*>(static_cast<char*>(base_) + event_log_offset(0));
    for (std::uint64_t i = first; i < next_; ++i) {
        EventRecord& event = records[i];
        // 0 is "not set" (an unreleased section's release), never a time.
        for (std::uint64_t* time : {&event.t_requested, &event.t_acquired, &event.t_released})
            if (*time != 0) *time = correction.apply(*time);
    }
}

void EventRecorder::set_clock_report(const LogClock& report) {
    header_->clock_report = report;
}

void EventRecorder::close(LogStatus status) {
    header_->t_end = now_ns();
    header_->status.store(static_cast<std::uint32_t>(status), std::memory_order_release);
}

std::uint64_t EventRecorder::committed() const {
    return next_;
}

} // namespace ipch
