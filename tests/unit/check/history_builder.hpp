// Synthetic histories for checker tests: events built field by field, so each test states only
// what its property looks at.
#pragma once

#include "check.hpp"
#include "history.hpp"
#include "properties.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ipch::test {

class Event {
  public:
    Event(OpKind kind, std::uint32_t op_id, std::uint64_t seq) {
        record_.kind = kind;
        record_.op_id = op_id;
        record_.seq = seq;
        record_.outcome = Outcome::ok;
    }
    // Inside the lock from `acquired` to `released`, with this stamp.
    Event& section(std::uint64_t stamp, std::uint64_t acquired, std::uint64_t released) {
        record_.flags |= event_flag::critical_section;
        record_.stamp = stamp;
        record_.t_requested = acquired;
        record_.t_acquired = acquired;
        record_.t_released = released;
        return *this;
    }
    // Inside an explicit lock..unlock section that took this stamp (the section itself is the
    // unlock's event); `at` is the op's own time.
    Event& in_section(std::uint64_t stamp, std::uint64_t at) {
        record_.flags |= event_flag::in_section;
        record_.stamp = stamp;
        record_.t_requested = at;
        record_.t_acquired = at;
        record_.t_released = at;
        return *this;
    }
    // Inside the lock since `acquired`, with this stamp, and never out: the agent crashed there.
    Event& unreleased(std::uint64_t stamp, std::uint64_t acquired) {
        record_.flags |= event_flag::critical_section | event_flag::unreleased;
        record_.stamp = stamp;
        record_.t_requested = acquired;
        record_.t_acquired = acquired;
        record_.t_released = 0;
        return *this;
    }
    // When it asked for the lock (section() makes that its acquire time: no wait).
    Event& requested(std::uint64_t at) {
        record_.t_requested = at;
        return *this;
    }
    // An increment's reading of the counter (it wrote value + 1).
    Event& counter_read(std::uint64_t value) {
        record_.msg_writer_seq = value;
        return *this;
    }
    Event& owner_seen(std::uint32_t word) {
        record_.owner_seen = word;
        return *this;
    }
    Event& wrote(std::uint32_t writer, std::uint64_t writer_seq, std::uint64_t checksum) {
        record_.flags |= event_flag::written;
        return message(writer, writer_seq, checksum);
    }
    Event& saw(std::uint32_t writer, std::uint64_t writer_seq, std::uint64_t checksum) {
        record_.flags |= event_flag::observed;
        record_.computed_checksum = checksum;
        return message(writer, writer_seq, checksum);
    }
    Event& length(std::uint32_t bytes) {
        record_.msg_length = bytes;
        return *this;
    }
    Event& computed(std::uint64_t checksum) {
        record_.computed_checksum = checksum;
        return *this;
    }
    Event& flag(std::uint32_t bits) {
        record_.flags |= bits;
        return *this;
    }
    Event& outcome(Outcome value) {
        record_.outcome = value;
        return *this;
    }
    Event& error(std::int32_t code) {
        record_.outcome = Outcome::error;
        record_.error = code;
        return *this;
    }
    Event& attempt(std::uint32_t number) {
        record_.attempt = number;
        return *this;
    }
    operator EventRecord() const { return record_; }

  private:
    Event& message(std::uint32_t writer, std::uint64_t writer_seq, std::uint64_t checksum) {
        record_.msg_writer = writer;
        record_.msg_writer_seq = writer_seq;
        record_.msg_checksum = checksum;
        if (record_.msg_length == 0 && writer != 0) record_.msg_length = 5;
        return *this;
    }
    EventRecord record_{};
};

inline AgentHistory agent(std::uint32_t id, std::string name, std::vector<EventRecord> events,
                          std::vector<std::string> labels = {}) {
    AgentHistory history = make_agent_history(id, std::move(name), std::move(events));
    history.op_labels = std::move(labels);
    return history;
}

inline AgentHistory ended(AgentHistory history, AgentEnd end, int signal = 0) {
    history.end = end;
    history.signal = signal;
    return history;
}

inline History history_of(std::vector<AgentHistory> agents, std::uint64_t capacity = 100) {
    History history;
    history.agents = std::move(agents);
    history.payload_capacity = capacity;
    return history;
}

// An object of the run as the harness found it after the run: owner-only and `size` bytes, or
// gone.
inline ObjectObservation observed(std::string role, std::string kind, std::string name,
                                  std::string where, bool exists, std::uint64_t size) {
    ObjectObservation object;
    object.role = std::move(role);
    object.kind = std::move(kind);
    object.name = std::move(name);
    object.where = std::move(where);
    object.exists_after = exists;
    if (exists) {
        object.mode = 0600;
        object.size = size;
    }
    return object;
}

// The mapping, planned 256 bytes, its guard intact and its message kept.
inline ObjectObservation mapping_object(bool exists = true) {
    ObjectObservation object =
        observed("mapping", "shm", "ipch-t-map", "/dev/shm/ipch-t-map", exists, 256);
    object.requested_size = 256;
    if (exists) {
        object.guard_intact = true;
        object.holds_message = true;
    }
    return object;
}

inline ObjectObservation mutex_object(bool exists = true) {
    return observed("mutex", "named_mutex", "ipch-t-mtx", "/dev/shm/sem.ipch-t-mtx", exists, 32);
}

// The labels every test agent uses: op id -> label.
inline std::vector<std::string> labels() {
    return {"open",
            "write \"hello {id}\"",
            "read",
            "wait_for \"hello\" 5s",
            "read expect \"hello\"",
            "hold 1ms",
            "increment",
            "lock",
            "unlock",
            "crash holding-lock",
            "try_lock",
            "crash mid-write"};
}
inline constexpr std::uint32_t op_write = 1;
inline constexpr std::uint32_t op_read = 2;
inline constexpr std::uint32_t op_wait = 3;
inline constexpr std::uint32_t op_expect = 4;
inline constexpr std::uint32_t op_hold = 5;
inline constexpr std::uint32_t op_increment = 6;
inline constexpr std::uint32_t op_lock = 7;
inline constexpr std::uint32_t op_unlock = 8;
inline constexpr std::uint32_t op_crash = 9;
inline constexpr std::uint32_t op_try_lock = 10;
inline constexpr std::uint32_t op_crash_mid_write = 11;

// How many properties this version checks: check_history returns one result for each.
inline std::size_t checked_property_count() {
    std::size_t count = 0;
    for (const PropertyInfo& info : property_catalog)
        count += info.checked ? 1 : 0;
    return count;
}

// One property's result, through the public entry point the harness uses.
inline PropertyResult check_one(const History& history, std::string_view id,
                                const CheckOptions& options = {}) {
    for (PropertyResult& result : check_history(history, options))
        if (result.id == id) return result;
    return PropertyResult{"(missing)", Verdict::unknown, "no result for this id", 0, 0, {}};
}

} // namespace ipch::test
