#include "check/detail.hpp"

#include "error_names.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <functional>
#include <system_error>

namespace ipch::check {

bool may_have_op_in_flight(const AgentHistory& agent) {
    return agent.end == AgentEnd::crashed || agent.end == AgentEnd::killed_at_timeout ||
           agent.end == AgentEnd::killed_by_harness;
}

std::uint64_t unrecorded_ops_bound(const History& history) {
    std::uint64_t bound = 0;
    for (const AgentHistory& agent : history.agents) {
        if (!agent.log_damage.empty()) return UINT64_MAX;
        bound += may_have_op_in_flight(agent) ? 1 : 0;
    }
    return bound;
}

std::string op_label(const AgentHistory& agent, std::uint32_t op_id) {
    if (op_id < agent.op_labels.size() && !agent.op_labels[op_id].empty())
        return agent.op_labels[op_id];
    return "op #" + std::to_string(op_id);
}

std::optional<std::size_t> search_agent_position(const History& history, std::uint32_t agent_id) {
    for (std::size_t a = 0; a < history.agents.size(); ++a)
        if (history.agents[a].agent_id == agent_id) return a;
    return std::nullopt;
}

std::string agent_name(const History& history, std::uint32_t agent_id) {
    if (const auto position = agent_position(history, agent_id))
        return history.agents[*position].name;
    return "agent #" + std::to_string(agent_id);
}

std::string describe_op(const History& history, EventRef ref) {
    const AgentHistory& agent = history.agents[ref.agent];
    const std::uint32_t op_id = event_at(history, ref).op_id;
    // Quotes set a label apart from the sentence around it; "op #N" needs none.
    if (op_id < agent.op_labels.size() && !agent.op_labels[op_id].empty())
        return agent.name + "'s '" + agent.op_labels[op_id] + "'";
    return agent.name + "'s op #" + std::to_string(op_id);
}

std::string describe_message(const History& history, const EventRecord& event) {
    if (event.msg_writer == 0) return "the empty mapping";
    return "message #" + std::to_string(event.msg_writer_seq) + " of " +
           agent_name(history, event.msg_writer) + " (" + std::to_string(event.msg_length) +
           " bytes)";
}

std::string signal_name(int signal) {
    switch (signal) {
    case SIGHUP:
        return "SIGHUP";
    case SIGINT:
        return "SIGINT";
    case SIGQUIT:
        return "SIGQUIT";
    case SIGILL:
        return "SIGILL";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGABRT:
        return "SIGABRT";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGKILL:
        return "SIGKILL";
    case SIGUSR1:
        return "SIGUSR1";
    case SIGSEGV:
        return "SIGSEGV";
    case SIGUSR2:
        return "SIGUSR2";
    case SIGPIPE:
        return "SIGPIPE";
    case SIGALRM:
        return "SIGALRM";
    case SIGTERM:
        return "SIGTERM";
    case SIGSYS:
        return "SIGSYS";
    default:
        return "signal " + std::to_string(signal);
    }
}

std::string hex(std::uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(value));
    return text;
}

std::string duration_text(std::uint64_t ns) {
    char text[48];
    if (ns >= 1'000'000'000)
        std::snprintf(text, sizeof text, "%.3f s", static_cast<double>(ns) / 1e9);
    else if (ns >= 1'000'000)
        std::snprintf(text, sizeof text, "%.3f ms", static_cast<double>(ns) / 1e6);
    else if (ns >= 1'000)
        std::snprintf(text, sizeof text, "%.3f us", static_cast<double>(ns) / 1e3);
    else
        std::snprintf(text, sizeof text, "%llu ns", static_cast<unsigned long long>(ns));
    return text;
}

EvidenceEvent evidence_event(const History& history, EventRef ref) {
    const AgentHistory& agent = history.agents[ref.agent];
    const EventRecord& event = agent.events[ref.index];
    return EvidenceEvent{agent.agent_id, agent.name, op_label(agent, event.op_id), ref.index,
                         event};
}

std::string count_of(std::uint64_t count, const char* singular, const char* plural) {
    return std::to_string(count) + " " + (count == 1 ? singular : plural);
}

std::size_t event_count(const History& history) {
    std::size_t count = 0;
    for (const AgentHistory& agent : history.agents)
        count += agent.events.size();
    return count;
}

void CrashedWrites::gather() {
    gathered_ = true;
    last_write_.assign(history_.agents.size(), 0);
    crash_stamp_.assign(history_.agents.size(), 0);
    bool crashed = false;
    for (std::size_t a = 0; a < history_.agents.size(); ++a)
        for (const EventRecord& event : history_.agents[a].events) {
            if (has_flag(event, event_flag::unreleased) && in_lock_order(event)) {
                crash_stamp_[a] = event.stamp;
                crashed = true;
            }
            if (is_committed_write(event))
                last_write_[a] = std::max(last_write_[a], event.msg_writer_seq);
        }
    // The stamps of the writes matter only after a crash inside the lock (explains looks at
    // them for a crash stamp, never without one).
    if (!crashed) return;
    std::vector<std::size_t> runs; // each agent's writes, usually in stamp order already
    for (const AgentHistory& agent : history_.agents) {
        runs.push_back(write_stamps_.size());
        for (const EventRecord& event : agent.events)
            if (is_committed_write(event)) write_stamps_.push_back(event.stamp);
    }
    runs.push_back(write_stamps_.size());
    sort_runs(write_stamps_, std::move(runs), std::less<>());
}

bool CrashedWrites::explains(EventRef read) {
    if (!gathered_) gather();
    const EventRecord& event = event_at(history_, read);
    const auto writer = agent_position(history_, event.msg_writer);
    if (!writer || !in_lock_order(event)) return false;
    const std::uint64_t crash = crash_stamp_[*writer];
    if (crash == 0 || crash >= event.stamp) return false;
    if (event.msg_writer_seq <= last_write_[*writer]) return false;
    const auto after_crash = std::upper_bound(write_stamps_.begin(), write_stamps_.end(), crash);
    if (after_crash != write_stamps_.end() && *after_crash < event.stamp) return false;
    return !written_earlier_in_section(read);
}

bool CrashedWrites::written_earlier_in_section(EventRef read) const {
    const auto& events = history_.agents[read.agent].events;
    const std::uint64_t stamp = events[read.index].stamp;
    for (std::size_t i = read.index; i-- > 0;) {
        if (!has_flag(events[i], event_flag::in_section) || events[i].stamp != stamp) break;
        if (is_committed_write(events[i])) return true;
    }
    return false;
}

std::string with_signal(int signal) {
    return signal == 0 ? std::string() : " (" + signal_name(signal) + ")";
}

std::string how_it_ended(const AgentHistory& agent) {
    switch (agent.end) {
    case AgentEnd::finished:
        return "finished";
    case AgentEnd::error_exit:
        return "exited with code " + std::to_string(agent.exit_code);
    case AgentEnd::crashed:
        return agent.signal == 0 ? "crashed" : "was killed by " + signal_name(agent.signal);
    case AgentEnd::killed_at_timeout:
        return "was still running at the scenario's timeout, so the harness killed it" +
               with_signal(agent.signal);
    case AgentEnd::killed_by_harness:
        return "was killed by the harness before it finished" + with_signal(agent.signal);
    case AgentEnd::not_started:
        return "never started: the spawn failed";
    }
    return "ended in an unknown way";
}

} // namespace ipch::check
