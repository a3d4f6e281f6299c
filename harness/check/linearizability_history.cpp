// From events to the register's and the mutex's operations.
#include "check/linearizability_history.hpp"

#include "check/detail.hpp"

#include <algorithm>
#include <limits>

namespace ipch::lin {

namespace {

using check::has_flag;

std::uint64_t earlier(std::uint64_t time, std::uint64_t tolerance) {
    return time > tolerance ? time - tolerance : 0;
}

std::uint64_t later(std::uint64_t time, std::uint64_t tolerance) {
    if (time == never) return never;
    return time < never - tolerance ? time + tolerance : never - 1;
}

void add(HistoryOps& out, Operation op, Source source, std::uint64_t tolerance) {
    op.call = earlier(op.call, tolerance);
    op.ret = op.ret == never ? never : std::max(op.call, later(op.ret, tolerance));
    out.ops.push_back(op);
    out.sources.push_back(source);
}

// The moment an op's work began: once it held the lock, else when it started.
std::uint64_t work_began(const EventRecord& event) {
    return std::max(event.t_requested, event.t_acquired);
}

Value value_of(const EventRecord& event) {
    if (event.msg_writer == 0) return Value{}; // the empty mapping, whatever else the header held
    return Value{event.msg_writer, event.msg_writer_seq, event.msg_checksum};
}

bool is_whole_read(const EventRecord& event) {
    return has_flag(event, event_flag::observed) && !has_flag(event, event_flag::torn);
}

bool is_interrupted_write(const EventRecord& event) {
    return has_flag(event, event_flag::unreleased) && has_flag(event, event_flag::written);
}

// Per agent position: the highest writer_seq its committed writes produced.
std::vector<std::uint64_t> last_committed(const History& history) {
    std::vector<std::uint64_t> last(history.agents.size(), 0);
    for (std::size_t a = 0; a < history.agents.size(); ++a)
        for (const EventRecord& event : history.agents[a].events)
            if (check::is_committed_write(event)) last[a] = std::max(last[a], event.msg_writer_seq);
    return last;
}

// The write a dead agent had in flight, if any read saw a message of its that no committed
// write of its produced: the lowest such (its next write; a higher one would still fail).
void add_write_in_flight(const History& history, std::size_t agent, std::uint64_t last,
                         std::uint64_t tolerance, HistoryOps& out) {
    const AgentHistory& writer = history.agents[agent];
    std::optional<Value> seen;
    for (const Operation& op : out.ops)
        if (op.action == Action::read && op.value.writer == writer.agent_id &&
            op.value.writer_seq > last && (!seen || op.value.writer_seq < seen->writer_seq))
            seen = op.value;
    if (!seen) return;
    // It began after the agent's last recorded op ended (an unreleased event has no end).
    std::uint64_t after = 0;
    if (!writer.events.empty())
        after = std::max(writer.events.back().t_requested, writer.events.back().t_released);
    add(out, Operation{static_cast<std::uint32_t>(agent), Action::write, *seen, after, never},
        Source{agent, std::nullopt}, tolerance);
    ++out.indeterminate;
}

} // namespace

HistoryOps register_ops(const History& history, std::uint64_t tolerance_ns) {
    HistoryOps out;
    std::vector<bool> interrupted(history.agents.size(), false);
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const auto& events = history.agents[a].events;
        const auto client = static_cast<std::uint32_t>(a);
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& event = events[i];
            const Source source{a, i};
            if (check::is_committed_write(event))
                add(out,
                    {client, Action::write, value_of(event), work_began(event), event.t_released},
                    source, tolerance_ns);
            else if (is_whole_read(event))
                add(out,
                    {client, Action::read, value_of(event), work_began(event), event.t_released},
                    source, tolerance_ns);
            else if (is_interrupted_write(event) && !interrupted[a]) {
                interrupted[a] = true; // one crash, one write
                add(out, {client, Action::write, value_of(event), work_began(event), never}, source,
                    tolerance_ns);
                ++out.indeterminate;
            }
        }
    }
    const std::vector<std::uint64_t> last = last_committed(history);
    for (std::size_t a = 0; a < history.agents.size(); ++a)
        if (check::may_have_op_in_flight(history.agents[a]) && !interrupted[a])
            add_write_in_flight(history, a, last[a], tolerance_ns, out);
    return out;
}

HistoryOps mutex_ops(const History& history, std::uint64_t tolerance_ns) {
    HistoryOps out;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const auto& events = history.agents[a].events;
        const auto client = static_cast<std::uint32_t>(a);
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& event = events[i];
            if (!check::is_section(event)) continue;
            const Source source{a, i};
            const std::uint64_t acquired = work_began(event);
            add(out, {client, Action::acquire, {}, event.t_requested, acquired}, source,
                tolerance_ns);
            if (has_flag(event, event_flag::unreleased)) {
                // A crash ends the agent: its later events (ops recorded inside the same
                // section) belong to this section.
                add(out, {client, Action::release, {}, acquired, never}, source, tolerance_ns);
                ++out.indeterminate;
                break;
            }
            // The unlock follows t_released and precedes the agent's next event; after its last
            // one, when it happened is unknown, though it did.
            const std::uint64_t next = i + 1 < events.size() ? events[i + 1].t_requested : never;
            const std::uint64_t released = std::max(event.t_released, acquired);
            add(out, {client, Action::release, {}, released, std::max(next, released)}, source,
                tolerance_ns);
        }
    }
    return out;
}

} // namespace ipch::lin

namespace ipch::check {

bool has_unstamped_sections(const History& history) {
    for (const AgentHistory& agent : history.agents)
        if (any_unstamped(agent.events)) return true;
    return false;
}

} // namespace ipch::check
