#include "executor.hpp"

#include "clock.hpp"

#include <algorithm>
#include <atomic>
#include <boost/interprocess/exceptions.hpp>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace ipch {

namespace {

// The header's words are shared with other processes that may (under a broken lock) touch
// them at the same time: access them as relaxed atomics, and increment the stamp with a plain
// load and store, so that two overlapping critical sections can end up with the same stamp.
template <typename T>
T load(const T& word) {
    // atomic_ref<const T> is not allowed: the word is only read here.
    return std::atomic_ref<T>(const_cast<T&>(word)).load(std::memory_order_relaxed);
}

template <typename T>
void store(T& word, T value) {
    std::atomic_ref<T>(word).store(value, std::memory_order_relaxed);
}

// wait_for polls back off from here to the cap, so a long wait costs few critical sections.
constexpr std::uint64_t first_poll_ns = 20'000;
constexpr std::uint64_t max_poll_ns = 2'000'000;

} // namespace

Executor::Executor(const AgentPlan& plan, Mapping& mapping, MutexBackend& mutex,
                   EventRecorder& recorder, ControlClient* control)
    : plan_(plan), mapping_(mapping), mutex_(mutex), recorder_(recorder), control_(control),
      owner_token_(owner_token(plan)),
      // Not zero-filled: a large mapping's buffer costs memory only where messages touch it.
      read_buffer_(std::make_unique_for_overwrite<char[]>(mapping.layout().capacity)) {}

void Executor::run() {
    run_ops(plan_.ops);
}

void Executor::run_ops(const std::vector<PlanOp>& ops) {
    for (const PlanOp& op : ops) {
        if (op.is_repeat) {
            for (std::uint64_t i = 0; i < op.count; ++i)
                run_ops(op.ops);
            continue;
        }
        if (control_) control_->set_op(op.id);
        ++seq_;
        run_leaf(op);
    }
}

void Executor::run_leaf(const PlanOp& op) {
    try {
        switch (op.kind) {
        case OpKind::write:
            return write(op);
        case OpKind::read:
            return read(op);
        case OpKind::wait_for:
            return wait_for(op);
        case OpKind::hold:
            return hold(op);
        case OpKind::sleep:
            return sleep(op);
        case OpKind::open:
            return; // the agent opens before the start barrier
        case OpKind::close:
        case OpKind::remove:
        case OpKind::increment:
        case OpKind::lock:
        case OpKind::unlock:
        case OpKind::try_lock:
        case OpKind::timed_lock:
        case OpKind::barrier:
        case OpKind::crash:
            throw std::runtime_error("op '" + std::string(to_string(op.kind)) +
                                     "' is not supported by this agent yet");
        }
    } catch (const boost::interprocess::interprocess_exception& e) {
        // A lock or unlock that fails leaves the mutex in an unknown state: stop here.
        EventRecord event = event_for(op, Section{});
        event.t_requested = event.t_released = now_ns();
        event.outcome = Outcome::error;
        event.error = e.get_native_error() != 0 ? e.get_native_error() : EIO;
        recorder_.record(event);
        throw std::runtime_error(std::string(to_string(op.kind)) + " (op #" +
                                 std::to_string(op.id) + ") failed: " + e.what());
    }
}

template <typename Body>
Executor::Section Executor::locked(Body&& body) {
    MappingHeader& header = mapping_.header();
    Section section;
    section.flags = event_flag::critical_section;
    section.t_requested = now_ns();
    mutex_.lock();
    section.t_acquired = now_ns();
    section.owner_seen = load(header.owner);
    if (section.owner_seen != 0 && (section.owner_seen >> 16) == (owner_token_ >> 16))
        section.flags |= event_flag::owner_busy;
    store(header.owner, owner_token_);
    section.stamp = load(header.stamp) + 1;
    store(header.stamp, section.stamp);
    body(header);
    if (load(header.owner) != owner_token_) section.flags |= event_flag::owner_changed;
    store(header.owner, 0u);
    // Read inside the critical section: a correct lock keeps it before the next acquire.
    section.t_released = now_ns();
    mutex_.unlock();
    return section;
}

EventRecord Executor::event_for(const PlanOp& op, const Section& section) const {
    EventRecord event{};
    event.op_id = op.id;
    event.kind = op.kind;
    event.outcome = Outcome::ok;
    event.seq = seq_;
    event.flags = section.flags;
    event.t_requested = section.t_requested;
    event.t_acquired = section.t_acquired;
    event.t_released = section.t_released;
    event.stamp = section.stamp;
    event.owner_seen = section.owner_seen;
    return event;
}

MessageHeader Executor::copy_message() {
    const MessageHeader& shared = mapping_.header().message;
    MessageHeader header{load(shared.writer), load(shared.length), load(shared.writer_seq),
                         load(shared.checksum)};
    const std::size_t length = std::min<std::size_t>(header.length, capacity());
    std::memcpy(read_buffer_.get(), mapping_.payload(), length);
    return header;
}

std::string_view Executor::observe(const MessageHeader& header, EventRecord& event) const {
    event.flags |= event_flag::observed;
    event.msg_writer = header.writer;
    event.msg_length = header.length;
    event.msg_writer_seq = header.writer_seq;
    event.msg_checksum = header.checksum;
    if (header.writer == 0) {
        // Never written: all-zero is the valid empty state; anything else was torn.
        if (header.length != 0 || header.writer_seq != 0 || header.checksum != 0)
            event.flags |= event_flag::torn;
        return {};
    }
    if (header.length > capacity()) {
        event.flags |= event_flag::torn;
        return {};
    }
    event.computed_checksum = message_checksum(read_buffer_.get(), header.length);
    if (event.computed_checksum != header.checksum) event.flags |= event_flag::torn;
    return {read_buffer_.get(), header.length};
}

void Executor::write(const PlanOp& op) {
    const std::uint64_t writer_seq = writes_ + 1;
    const std::string text = expand_template(op.text, plan_, writer_seq);
    if (text.size() > mapping_.layout().capacity) {
        EventRecord event = event_for(op, Section{});
        event.t_requested = event.t_released = now_ns();
        event.outcome = Outcome::error;
        event.error = event_error::too_large;
        event.msg_length =
            static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), UINT32_MAX));
        recorder_.record(event);
        return;
    }
    const MessageHeader message{plan_.agent_id, static_cast<std::uint32_t>(text.size()), writer_seq,
                                message_checksum(text.data(), text.size())};
    char* payload = mapping_.payload();
    const Section section = locked([&](MappingHeader& header) {
        std::memcpy(payload, text.data(), text.size());
        store(header.message.writer, message.writer);
        store(header.message.length, message.length);
        store(header.message.writer_seq, message.writer_seq);
        store(header.message.checksum, message.checksum);
    });
    writes_ = writer_seq;
    EventRecord event = event_for(op, section);
    event.flags |= event_flag::written;
    event.msg_writer = message.writer;
    event.msg_length = message.length;
    event.msg_writer_seq = message.writer_seq;
    event.msg_checksum = message.checksum;
    recorder_.record(event);
}

void Executor::read(const PlanOp& op) {
    MessageHeader header{};
    const Section section = locked([&](MappingHeader&) { header = copy_message(); });
    EventRecord event = event_for(op, section);
    const std::string_view seen = observe(header, event);
    if (op.has_expect) {
        event.flags |= event_flag::expect;
        const bool torn = (event.flags & event_flag::torn) != 0;
        if (torn || seen != expand_template(op.text, plan_, writes_))
            event.outcome = Outcome::mismatch;
    }
    recorder_.record(event);
}

void Executor::wait_for(const PlanOp& op) {
    const std::string wanted = expand_template(op.text, plan_, writes_);
    const std::uint64_t deadline = now_ns() + op.duration_ns;
    std::uint64_t pause = first_poll_ns;
    for (std::uint32_t attempt = 0;; ++attempt) {
        MessageHeader header{};
        const Section section = locked([&](MappingHeader&) { header = copy_message(); });
        EventRecord event = event_for(op, section);
        event.attempt = attempt;
        const std::string_view seen = observe(header, event);
        const bool arrived = (event.flags & event_flag::torn) == 0 && seen == wanted;
        if (arrived || section.t_released >= deadline) {
            event.outcome = arrived ? Outcome::ok : Outcome::timeout;
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
    const Section section =
        locked([&](MappingHeader&) { wait_until_ns(now_ns() + op.duration_ns); });
    recorder_.record(event_for(op, section));
}

void Executor::sleep(const PlanOp& op) {
    EventRecord event = event_for(op, Section{});
    event.t_requested = now_ns();
    sleep_ns(op.duration_ns);
    event.t_released = now_ns();
    recorder_.record(event);
}

} // namespace ipch
