// Reading agents' event logs. A log is evidence from a process that may have died at any
// instruction, so nothing in it is trusted: every field that sizes or locates records is checked
// against the file, every record taken is checked to be an event, and what does not add up
// becomes a sentence in log_damage. The valid prefix of the records is kept.
#include "history.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <span>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace ipch {

std::string_view to_string(AgentEnd end) {
    switch (end) {
    case AgentEnd::finished:
        return "finished";
    case AgentEnd::error_exit:
        return "error-exit";
    case AgentEnd::crashed:
        return "crashed";
    case AgentEnd::killed_at_timeout:
        return "killed-at-timeout";
    case AgentEnd::killed_by_harness:
        return "killed-by-harness";
    case AgentEnd::not_started:
        return "not-started";
    }
    return "unknown";
}

AgentHistory make_agent_history(std::uint32_t agent_id, std::string name,
                                std::vector<EventRecord> events) {
    auto owned = std::make_shared<const std::vector<EventRecord>>(std::move(events));
    AgentHistory agent;
    agent.agent_id = agent_id;
    agent.name = std::move(name);
    agent.events = std::span<const EventRecord>(owned->data(), owned->size());
    agent.storage = std::move(owned);
    agent.log_status = LogStatus::finished; // an in-memory history is complete by construction
    return agent;
}

namespace {

void add_damage(AgentHistory& agent, const std::string& what) {
    if (!agent.log_damage.empty()) agent.log_damage += "; ";
    agent.log_damage += what;
}

std::string hex(std::uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

// An open file descriptor that closes itself: the mapping outlives it, the descriptor need not.
class FileDescriptor {
  public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

// Whether the header describes a log this reader understands; when not, why (into `agent`).
// Records of a log in an unknown layout would be misread, so none are taken.
bool header_is_valid(const EventLogHeader& header, AgentHistory& agent) {
    if (header.magic != event_log_magic) {
        add_damage(agent, "bad magic " + hex(header.magic) + ": not an event log");
        return false;
    }
    if (header.version != event_log_version) {
        add_damage(agent, "event log version " + std::to_string(header.version) +
                              ", this harness reads version " + std::to_string(event_log_version));
        return false;
    }
    if (header.header_size != sizeof(EventLogHeader)) {
        add_damage(agent, "header size " + std::to_string(header.header_size) + ", expected " +
                              std::to_string(sizeof(EventLogHeader)));
        return false;
    }
    if (header.record_size != sizeof(EventRecord)) {
        add_damage(agent, "record size " + std::to_string(header.record_size) + ", expected " +
                              std::to_string(sizeof(EventRecord)));
        return false;
    }
    return true;
}

// How many records to take: what the agent published, bounded by what the file holds. The
// capacity only cross-checks them: when it disagrees one of the two fields lies, and the records
// themselves (valid_prefix) tell which. Each disagreement is damage.
std::uint64_t usable_records(const EventLogHeader& header, std::uint64_t file_size,
                             AgentHistory& agent) {
    const std::uint64_t committed = header.committed.load(std::memory_order_acquire);
    const std::uint64_t body = file_size - sizeof(EventLogHeader);
    const std::uint64_t fits = body / sizeof(EventRecord);
    const bool partial = body % sizeof(EventRecord) != 0;
    if (header.capacity > fits || (partial && committed > fits))
        add_damage(agent, "truncated: the file holds " + std::to_string(fits) +
                              (partial ? " whole records and part of another" : " records") +
                              ", its header promises room for " + std::to_string(header.capacity));
    else if (partial)
        add_damage(agent, std::to_string(body % sizeof(EventRecord)) +
                              " stray bytes after the last whole record");
    if (committed > fits)
        add_damage(agent, "committed " + std::to_string(committed) + " records, beyond the " +
                              std::to_string(fits) + " the file holds");
    else if (committed > header.capacity)
        add_damage(agent, "committed " + std::to_string(committed) +
                              " records, beyond the capacity of " +
                              std::to_string(header.capacity));
    return std::min(committed, fits);
}

// Every flag bit the format defines.
constexpr std::uint32_t known_flags = [] {
    std::uint32_t bits = 0;
    for (const EventFlagName& flag : event_flag_table)
        bits |= flag.bit;
    return bits;
}();

// Whether a record holds an event this reader understands: a known op kind and outcome, and no
// flag the format does not define. Room the agent never wrote (zeros, counted by a `committed`
// that lies) fails, as does most garbage; a wrong time or stamp cannot be told from a right one.
bool is_event(const EventRecord& record) {
    const auto kind = static_cast<std::uint16_t>(record.kind);
    const auto outcome = static_cast<std::uint16_t>(record.outcome);
    return kind >= static_cast<std::uint16_t>(OpKind::open) &&
           kind <= static_cast<std::uint16_t>(OpKind::crash) &&
           outcome <= static_cast<std::uint16_t>(Outcome::skipped) &&
           (record.flags & ~known_flags) == 0;
}

// The records up to the first that is not an event; the rest, and why, are damage.
std::span<const EventRecord> valid_prefix(std::span<const EventRecord> records,
                                          AgentHistory& agent) {
    const auto bad = std::find_if_not(records.begin(), records.end(),
                                      [](const EventRecord& record) { return is_event(record); });
    if (bad == records.end()) return records;
    const auto kept = static_cast<std::size_t>(bad - records.begin());
    char what[96];
    std::snprintf(what, sizeof what, "op kind %u, outcome %u, flags 0x%x",
                  static_cast<unsigned>(bad->kind), static_cast<unsigned>(bad->outcome),
                  static_cast<unsigned>(bad->flags));
    add_damage(agent, "record " + std::to_string(kept) + " (counting from 0) is not an event (" +
                          what + "): the " + std::to_string(kept) +
                          " records before it are kept, the " +
                          std::to_string(records.size() - kept) + " from it on are not");
    return records.first(kept);
}

} // namespace

AgentHistory read_agent_log(const std::string& path, std::uint32_t agent_id) {
    AgentHistory agent;
    agent.agent_id = agent_id;

    // O_NONBLOCK: a FIFO in the log's place must not hang the harness; a file ignores it.
    const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) {
        const int error = errno;
        add_damage(agent, error == ENOENT ? std::string("no event log")
                                          : "cannot open the event log " + path + ": " +
                                                std::generic_category().message(error));
        return agent;
    }
    struct stat info {};
    if (::fstat(fd.get(), &info) != 0) {
        add_damage(agent, "cannot stat the event log " + path + ": " +
                              std::generic_category().message(errno));
        return agent;
    }
    if (!S_ISREG(info.st_mode)) {
        add_damage(agent, "the event log " + path + " is not a regular file");
        return agent;
    }
    const auto file_size = static_cast<std::uint64_t>(info.st_size);
    if (file_size < sizeof(EventLogHeader)) {
        add_damage(agent, "truncated: " + std::to_string(file_size) +
                              " bytes, less than the event log header");
        return agent;
    }

    void* base = ::mmap(nullptr, file_size, PROT_READ, MAP_SHARED, fd.get(), 0);
    if (base == MAP_FAILED) {
        add_damage(agent, "cannot map the event log " + path + ": " +
                              std::generic_category().message(errno));
        return agent;
    }
    agent.storage = std::shared_ptr<const void>(
        base, [file_size](const void* p) { ::munmap(const_cast<void*>(p), file_size); });

    // mmap returns page-aligned memory, so the header and every record are suitably aligned.
    const auto* header = static_cast<const EventLogHeader*>(base);
    if (!header_is_valid(*header, agent)) {
        agent.storage.reset(); // no record of it is used: let the mapping go now
        return agent;
    }
    if (header->agent_id != agent_id)
        add_damage(agent, "the log names agent " + std::to_string(header->agent_id) +
                              ", expected agent " + std::to_string(agent_id));

    if (header->clock != ClockKind::monotonic)
        add_damage(agent, "unknown clock kind " +
                              std::to_string(static_cast<unsigned>(header->clock)) +
                              ": its times may not be CLOCK_MONOTONIC nanoseconds");

    agent.clock = header->clock_report;

    const std::uint32_t status_word = header->status.load(std::memory_order_acquire);
    if (status_word >= static_cast<std::uint32_t>(LogStatus::running) &&
        status_word <= static_cast<std::uint32_t>(LogStatus::failed))
        agent.log_status = static_cast<LogStatus>(status_word);
    else
        add_damage(agent, "unknown log status " + std::to_string(status_word));

    const std::uint64_t count = usable_records(*header, file_size, agent);
    const auto* records = reinterpret_cast<const EventRecord*>(static_cast<const char*>(base) +
                                                               sizeof(EventLogHeader));
    agent.events =
        valid_prefix(std::span<const EventRecord>(records, static_cast<std::size_t>(count)), agent);
    if (agent.clock.provisional != 0) {
        // A dead agent's TSC times, never corrected: their bound grew with the run.
        std::uint64_t latest = 0;
        for (const EventRecord& event : agent.events)
            latest = std::max({latest, event.t_requested, event.t_acquired, event.t_released});
        agent.clock.error_ns = clock_error_bound(agent.clock, latest);
    }
    return agent;
}

} // namespace ipch
