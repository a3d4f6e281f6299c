#include "run/report_hang.hpp"

#include "ipch/control_block.hpp"

#include <cstdio>

namespace ipch {

namespace {

std::string state_name(std::uint32_t state) {
    switch (static_cast<AgentState>(state)) {
    case AgentState::starting:
        return "starting";
    case AgentState::opened:
        return "opened";
    case AgentState::running:
        return "running";
    case AgentState::done:
        return "done";
    case AgentState::failed:
        return "failed";
    case AgentState::crashed:
        return "crashed";
    }
    return "state " + std::to_string(state);
}

std::string process_name(char state) {
    switch (state) {
    case 'R':
        return "running";
    case 'S':
        return "sleeping";
    case 'D':
        return "disk-wait";
    case 'T':
    case 't':
        return "stopped";
    case 'Z':
    case 'X':
        return "ended";
    default:
        return "gone";
    }
}

bool is_alive(char state) {
    return state == 'R' || state == 'S' || state == 'D' || state == 'T' || state == 't';
}

bool acquires(const EventRecord& event) {
    return event.outcome == Outcome::ok &&
           (event.kind == OpKind::lock || event.kind == OpKind::try_lock ||
            event.kind == OpKind::timed_lock);
}

// The event of the agent's last acquire that no unlock followed, if any.
const EventRecord* open_acquire(const AgentHistory& agent) {
    const EventRecord* open = nullptr;
    for (const EventRecord& event : agent.events) {
        if (acquires(event)) open = &event;
        if (event.kind == OpKind::unlock) open = nullptr;
    }
    return open;
}

// The op's label as evidence shows it ("#2 hold 1m"), or its id.
std::string op_text(const AgentHistory& agent, std::uint32_t op_id) {
    return op_id < agent.op_labels.size() && !agent.op_labels[op_id].empty()
               ? agent.op_labels[op_id]
               : "op " + std::to_string(op_id);
}

std::string event_text(const EventRecord& event) {
    return std::string(to_string(event.kind)) + " " + std::string(to_string(event.outcome));
}

// Since when the agent has been where it is: the end of its last event, or its last state
// change when it recorded none (both CLOCK_MONOTONIC, the supervisor's clock too).
double waiting_s(const AgentHistory& agent, const AgentAtTimeout& seen, std::uint64_t now) {
    std::uint64_t since = seen.t_state_ns;
    if (!agent.events.empty()) since = std::max(since, agent.events.back().t_released);
    return since == 0 || since > now ? 0 : static_cast<double>(now - since) / 1e9;
}

std::string hex_word(std::uint32_t word) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", word);
    return text;
}

} // namespace

HangForensics report_hang(const Plan& plan, const TimeoutSnapshot& at_timeout,
                          const History& history) {
    HangForensics hang;
    hang.timeout_s = static_cast<double>(plan.timeout_ns) / 1e9;
    hang.owner_word = at_timeout.owner_word ? hex_word(*at_timeout.owner_word) : "unreadable";
    for (std::size_t i = 0; i < history.agents.size() && i < at_timeout.agents.size(); ++i) {
        const AgentHistory& agent = history.agents[i];
        const AgentAtTimeout& seen = at_timeout.agents[i];
        AgentForensics row;
        row.name = agent.name;
        row.state = state_name(seen.state);
        row.op = op_text(agent, seen.op_id);
        if (!agent.events.empty()) row.last_event = event_text(agent.events.back());
        row.waiting_s = waiting_s(agent, seen, at_timeout.t_ns);
        row.process = process_name(seen.process_state);
        row.alive = is_alive(seen.process_state);
        hang.agents.push_back(std::move(row));
    }
    std::optional<std::size_t> holder;
    if (at_timeout.owner_word) holder = agent_of_owner_word(plan, *at_timeout.owner_word);
    if (holder) {
        hang.holder_from = "owner word";
    } else {
        const EventRecord* latest = nullptr;
        for (std::size_t i = 0; i < history.agents.size(); ++i) {
            const EventRecord* open = open_acquire(history.agents[i]);
            if (open != nullptr && (latest == nullptr || open->t_acquired > latest->t_acquired)) {
                latest = open;
                holder = i;
            }
        }
        if (holder) hang.holder_from = "last acquire without release";
    }
    if (holder && *holder < hang.agents.size()) {
        hang.holder = hang.agents[*holder].name;
        hang.holder_alive = hang.agents[*holder].alive;
    }
    return hang;
}

} // namespace ipch
