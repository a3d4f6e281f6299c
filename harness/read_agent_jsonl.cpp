// Reading an external agent's events: JSON lines, one event per line (docs/agent-protocol.md).
// Like the binary log, the file is evidence from a process that may have died mid-line, so
// nothing in it is trusted: the first line that is not a whole, valid event ends the reading,
// the lines before it are kept, and what was wrong becomes a sentence in log_damage.
#include "history.hpp"

#include <array>
#include <cerrno>
#include <fcntl.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace ipch {

namespace {

using nlohmann::json;

constexpr std::array<OpKind, 15> op_kinds{
    OpKind::open,   OpKind::write,    OpKind::read,       OpKind::wait_for,  OpKind::hold,
    OpKind::sleep,  OpKind::close,    OpKind::remove,     OpKind::increment, OpKind::lock,
    OpKind::unlock, OpKind::try_lock, OpKind::timed_lock, OpKind::barrier,   OpKind::crash};

constexpr std::array<Outcome, 7> outcomes{Outcome::ok,      Outcome::error,    Outcome::timeout,
                                          Outcome::pending, Outcome::mismatch, Outcome::busy,
                                          Outcome::skipped};

// Why a line is not a valid event; thrown inside this file only, caught per line.
struct BadLine {
    std::string what;
};

std::string shown(const json& value) {
    // Replaces invalid UTF-8 (garbage in a damaged file) instead of throwing.
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    constexpr std::size_t max_shown = 40;
    if (text.size() > max_shown) text = text.substr(0, max_shown) + "...";
    return text;
}

// An unsigned integer no larger than `max`. 64-bit fields may also be a "0x..." string, for
// languages whose JSON numbers are doubles and cannot carry a checksum exactly.
std::uint64_t read_unsigned(const json& value, std::string_view key, std::uint64_t max) {
    if (value.is_number_unsigned()) {
        const auto number = value.get<std::uint64_t>();
        if (number <= max) return number;
        throw BadLine{"field '" + std::string(key) + "' is " + shown(value) +
                      "; expected at most " + std::to_string(max)};
    }
    if (value.is_string() && max == std::numeric_limits<std::uint64_t>::max()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (text.size() > 2 && text.size() <= 18 && text[0] == '0' && text[1] == 'x') {
            std::size_t used = 0;
            try {
                const unsigned long long number = std::stoull(text.substr(2), &used, 16);
                if (used == text.size() - 2) return number;
            } catch (const std::exception&) {
            }
        }
    }
    throw BadLine{
        "field '" + std::string(key) + "' is " + shown(value) + "; expected an unsigned integer" +
        (max == std::numeric_limits<std::uint64_t>::max() ? " (or a \"0x...\" string)" : "")};
}

std::int32_t read_error_code(const json& value) {
    if (value.is_number_integer()) {
        const auto number = value.get<std::int64_t>();
        if (value.is_number_unsigned() ? value.get<std::uint64_t>() <= INT32_MAX
                                       : number >= INT32_MIN && number <= INT32_MAX)
            return static_cast<std::int32_t>(number);
    }
    throw BadLine{"field 'error' is " + shown(value) + "; expected an errno or ipch error code"};
}

template <typename Enum, std::size_t N>
Enum read_name(const json& value, std::string_view key, const std::array<Enum, N>& values) {
    if (value.is_string())
        for (const Enum known : values)
            if (to_string(known) == value.get_ref<const std::string&>()) return known;
    std::string expected;
    for (const Enum known : values)
        expected += (expected.empty() ? "" : ", ") + std::string(to_string(known));
    throw BadLine{"field '" + std::string(key) + "' is " + shown(value) +
                  "; expected one of: " + expected};
}

// A list of flag names, or the event_flag bits as one number.
std::uint32_t read_flags(const json& value) {
    if (value.is_number_unsigned())
        return static_cast<std::uint32_t>(
            read_unsigned(value, "flags", std::numeric_limits<std::uint32_t>::max()));
    if (!value.is_array())
        throw BadLine{"field 'flags' is " + shown(value) +
                      "; expected a list of flag names or a number of flag bits"};
    std::uint32_t flags = 0;
    for (const json& name : value) {
        bool known = false;
        for (const EventFlagName& flag : event_flag_table) {
            if (name.is_string() && name.get_ref<const std::string&>() == flag.name) {
                flags |= flag.bit;
                known = true;
            }
        }
        if (!known) {
            std::string expected;
            for (const EventFlagName& flag : event_flag_table)
                expected += (expected.empty() ? "" : ", ") + std::string(flag.name);
            throw BadLine{"unknown flag " + shown(name) + "; expected one of: " + expected};
        }
    }
    return flags;
}

const json& required(const json& line, std::string_view key) {
    const auto it = line.find(key);
    if (it == line.end()) throw BadLine{"field '" + std::string(key) + "' is missing"};
    return *it;
}

constexpr std::uint64_t u32_max = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint64_t u64_max = std::numeric_limits<std::uint64_t>::max();

// Sets one optional field of `event` from `value`; false when `key` is not an event field.
bool read_optional(EventRecord& event, const std::string& key, const json& value) {
    const auto u32 = [&] { return static_cast<std::uint32_t>(read_unsigned(value, key, u32_max)); };
    const auto u64 = [&] { return read_unsigned(value, key, u64_max); };
    if (key == "attempt")
        event.attempt = u32();
    else if (key == "flags")
        event.flags = read_flags(value);
    else if (key == "t_requested")
        event.t_requested = u64();
    else if (key == "t_acquired")
        event.t_acquired = u64();
    else if (key == "t_released")
        event.t_released = u64();
    else if (key == "stamp")
        event.stamp = u64();
    else if (key == "msg_writer")
        event.msg_writer = u32();
    else if (key == "msg_length")
        event.msg_length = u32();
    else if (key == "msg_writer_seq")
        event.msg_writer_seq = u64();
    else if (key == "msg_checksum")
        event.msg_checksum = u64();
    else if (key == "computed_checksum")
        event.computed_checksum = u64();
    else if (key == "error")
        event.error = read_error_code(value);
    else if (key == "owner_seen")
        event.owner_seen = u32();
    else
        return false;
    return true;
}

EventRecord read_event(const json& line) {
    EventRecord event{};
    event.op_id =
        static_cast<std::uint32_t>(read_unsigned(required(line, "op_id"), "op_id", u32_max));
    event.kind = read_name(required(line, "kind"), "kind", op_kinds);
    event.outcome = read_name(required(line, "outcome"), "outcome", outcomes);
    event.seq = read_unsigned(required(line, "seq"), "seq", u64_max);
    for (const auto& [key, value] : line.items()) {
        if (key == "op_id" || key == "kind" || key == "outcome" || key == "seq") continue;
        // A misspelt field would otherwise vanish silently and leave its value 0.
        if (!read_optional(event, key, value)) throw BadLine{"unknown field '" + key + "'"};
    }
    return event;
}

// The closing line, {"status": "finished" | "failed"}.
LogStatus read_status(const json& line) {
    const json& status = line.at("status");
    if (line.size() == 1 && status == "finished") return LogStatus::finished;
    if (line.size() == 1 && status == "failed") return LogStatus::failed;
    throw BadLine{"a status line is " + shown(line) +
                  R"(; expected {"status": "finished"} or {"status": "failed"})"};
}

void add_damage(AgentHistory& agent, const std::string& what) {
    if (!agent.log_damage.empty()) agent.log_damage += "; ";
    agent.log_damage += what;
}

// The whole file, or nullopt with the reason in `agent`.
std::optional<std::string> read_whole_file(const std::string& path, AgentHistory& agent) {
    // O_NONBLOCK: a FIFO in the log's place must not hang the harness; a file ignores it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        const int error = errno;
        add_damage(agent, error == ENOENT ? std::string("no event log")
                                          : "cannot open the event log " + path + ": " +
                                                std::generic_category().message(error));
        return std::nullopt;
    }
    struct stat info {};
    std::optional<std::string> text;
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        add_damage(agent, "the event log " + path + " is not a regular file");
    } else {
        text.emplace();
        char buffer[65536];
        ssize_t got = 0;
        while ((got = ::read(fd, buffer, sizeof buffer)) > 0)
            text->append(buffer, static_cast<std::size_t>(got));
        if (got < 0) {
            add_damage(agent, "cannot read the event log " + path + ": " +
                                  std::generic_category().message(errno));
            text.reset();
        }
    }
    ::close(fd);
    return text;
}

} // namespace

AgentHistory read_agent_jsonl(const std::string& path, std::uint32_t agent_id) {
    AgentHistory agent;
    agent.agent_id = agent_id;
    std::vector<EventRecord> events;
    const std::optional<std::string> text = read_whole_file(path, agent);
    std::size_t start = 0;
    for (std::size_t number = 1; text && start < text->size(); ++number) {
        const std::size_t newline = text->find('\n', start);
        const bool whole = newline != std::string::npos;
        const std::string_view line(text->data() + start, (whole ? newline : text->size()) - start);
        start = whole ? newline + 1 : text->size();
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        try {
            const json value = json::parse(line, nullptr, false);
            if (value.is_discarded())
                throw BadLine{whole ? "not JSON: " + shown(std::string(line))
                                    : "truncated: the last line ends mid-event"};
            if (!value.is_object()) throw BadLine{"not a JSON object"};
            if (value.contains("status"))
                agent.log_status = read_status(value);
            else
                events.push_back(read_event(value));
        } catch (const BadLine& bad) {
            add_damage(agent,
                       "line " + std::to_string(number) + ": " + bad.what +
                           (start < text->size() ? " (the lines after it are not read)" : ""));
            break;
        }
    }
    AgentHistory read = make_agent_history(agent_id, "", std::move(events));
    read.log_status = agent.log_status;
    read.log_damage = std::move(agent.log_damage);
    return read;
}

} // namespace ipch
