// The ops that work on the mapping's contents (write, read, wait_for, increment) or only hold
// the lock (hold), and sleep, which needs nothing.
#include "executor_sections.hpp"

#include <algorithm>
#include <cstring>

namespace ipch {

namespace {

// wait_for polls back off from here to the cap, so a long wait costs few critical sections.
constexpr std::uint64_t first_poll_ns = 20'000;
constexpr std::uint64_t max_poll_ns = 2'000'000;

} // namespace

// A {size, pattern} write's payload: the expanded pattern repeated and cut to `size` bytes.
std::string Executor::payload_for(const PlanOp& op, std::uint64_t writer_seq) const {
    const std::string unit = expand_template(op.pattern, plan_, writer_seq);
    // An empty pattern has nothing to repeat; the loader rejects it, zeros fill it here.
    if (unit.empty()) return std::string(op.size, '\0');
    std::string payload;
    payload.reserve(op.size);
    while (payload.size() < op.size)
        payload.append(unit, 0, std::min<std::size_t>(unit.size(), op.size - payload.size()));
    return payload;
}

std::optional<Executor::Outgoing> Executor::outgoing_message(const PlanOp& op) {
    const std::uint64_t writer_seq = writes_ + 1;
    BuiltPayload& built = payloads_[op.id];
    if (!built.reusable) {
        std::string text =
            op.size > 0 ? std::string() : expand_template(op.text, plan_, writer_seq);
        // Sized before it is built: a {size, pattern} far beyond the mapping is never allocated.
        const std::uint64_t size = op.size > 0 ? op.size : text.size();
        if (size > capacity()) {
            EventRecord event = instant_event(op);
            event.outcome = Outcome::error;
            event.error = event_error::too_large;
            event.msg_length =
                static_cast<std::uint32_t>(std::min<std::uint64_t>(size, UINT32_MAX));
            recorder_.record(event);
            return std::nullopt;
        }
        if (op.size > 0) text = payload_for(op, writer_seq);
        built.text = std::move(text);
        built.checksum = message_checksum(built.text.data(), built.text.size());
        built.reusable = (op.size > 0 ? op.pattern : op.text).find("{seq}") == std::string::npos;
    }
    const MessageHeader header{plan_.agent_id, static_cast<std::uint32_t>(built.text.size()),
                               writer_seq, built.checksum};
    return Outgoing{built.text, header};
}

void Executor::write_unstamped(const PlanOp&, const Outgoing& message) {
    char* payload = objects_.mapping->payload();
    unstamped(
        [&](MappingHeader& header) { publish(header, payload, message.header, message.payload); });
    writes_ = message.header.writer_seq;
}

void Executor::record_write(const PlanOp& op, const Section& section,
                            const MessageHeader& message) {
    writes_ = message.writer_seq;
    EventRecord event = event_for(op, section);
    mark_written(event, message);
    recorder_.record(event);
}

void Executor::write(const PlanOp& op) {
    const std::optional<Outgoing> message = outgoing_message(op);
    if (!message) return;
    char* payload = objects_.mapping->payload();
    const auto body = [&](MappingHeader& header) {
        publish(header, payload, message->header, message->payload);
    };
    if (runs_unstamped(op)) return write_unstamped(op, *message);
    record_write(op, critical(body), message->header);
}

void Executor::read(const PlanOp& op) {
    MessageHeader header{};
    const Section section = critical([&](MappingHeader& shared) { header = copy_message(shared); });
    record_read(op, section, header);
}

void Executor::record_read(const PlanOp& op, const Section& section, const MessageHeader& header) {
    EventRecord event = event_for(op, section);
    const std::string_view seen = observe(header, event);
    const bool torn = (event.flags & event_flag::torn) != 0;
    if (op.expect_any_valid) {
        // Any whole message (or the empty mapping) is what was expected.
        event.flags |= event_flag::expect | event_flag::any_valid;
        if (torn) event.outcome = Outcome::mismatch;
    } else if (op.has_expect) {
        event.flags |= event_flag::expect;
        if (torn || seen != expand_template(op.text, plan_, writes_))
            event.outcome = Outcome::mismatch;
    }
    recorder_.record(event);
}

void Executor::wait_for(const PlanOp& op) {
    const std::string wanted = expand_template(op.text, plan_, writes_);
    // `from`: any whole message by one of these writers; else the text itself.
    const auto arrived = [&](const MessageHeader& header, std::string_view seen) {
        if (op.from_ids.empty()) return seen == wanted;
        return std::find(op.from_ids.begin(), op.from_ids.end(), header.writer) !=
               op.from_ids.end();
    };
    const std::uint64_t deadline = now_ns() + op.duration_ns;
    std::uint64_t pause = first_poll_ns;
    for (std::uint32_t attempt = 0;; ++attempt) {
        MessageHeader header{};
        const Section section =
            critical([&](MappingHeader& shared) { header = copy_message(shared); });
        EventRecord event = event_for(op, section);
        event.attempt = attempt;
        const std::string_view seen = observe(header, event);
        const bool ok = (event.flags & event_flag::torn) == 0 && arrived(header, seen);
        if (ok || section.t_released >= deadline) {
            event.outcome = ok ? Outcome::ok : Outcome::timeout;
            recorder_.record(event);
            return;
        }
        event.outcome = Outcome::pending;
        recorder_.record(event);
        sleep_ns(std::min(pause, deadline - section.t_released));
        pause = std::min(pause * 2, max_poll_ns);
    }
}

void Executor::hold(const PlanOp& op) {
    const auto body = [&](MappingHeader&) { wait_until_ns(now_ns() + op.duration_ns); };
    if (runs_unstamped(op)) return unstamped(body);
    recorder_.record(event_for(op, critical(body)));
}

void Executor::increment(const PlanOp& op) {
    std::uint64_t value = 0;
    const Section section = critical([&](MappingHeader& header) {
        // A plain read and write, not an atomic add: under a broken lock two agents read the
        // same value and one increment is lost, which is what no-lost-update looks for.
        value = load(header.counter);
        store(header.counter, value + 1);
    });
    EventRecord event = event_for(op, section);
    event.msg_writer_seq = value;
    recorder_.record(event);
}

void Executor::sleep(const PlanOp& op) {
    EventRecord event = instant_event(op);
    if (section_) {
        event.flags |= event_flag::in_section;
        event.stamp = section_->stamp;
    }
    sleep_ns(jitter_.draw(op.duration_ns, op.max_duration_ns));
    event.t_released = now_ns();
    recorder_.record(event);
}

} // namespace ipch
