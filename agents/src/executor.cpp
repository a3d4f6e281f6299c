#include "executor.hpp"

#include "executor_sections.hpp"

#include <algorithm>
#include <boost/interprocess/exceptions.hpp>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

namespace ipch {

namespace {

// An agent whose first op is `open` takes charge of opening (and records that open's failure
// as an event, then goes on); any other agent opens at start, as the classic's programs do.
bool starts_with_open(const std::vector<PlanOp>& ops) {
    return !ops.empty() && !ops.front().is_repeat && ops.front().kind == OpKind::open;
}

std::uint32_t op_id_count(const std::vector<PlanOp>& ops) {
    std::uint32_t count = 0;
    for (const PlanOp& op : ops)
        count = std::max({count, op.id + 1, op_id_count(op.ops)});
    return count;
}

// A timed repeat reads the clock for its deadline once per this many ns of work, not once per
// iteration: a bare section takes about as long as a clock read. The stride of iterations
// between reads adapts to the body's speed, up to max_stride; a slow body (a hold) reads it
// every time.
constexpr std::uint64_t deadline_check_ns = 2'000;
constexpr std::uint64_t max_stride = 1024;

} // namespace

Executor::Executor(const AgentPlan& plan, EventRecorder& recorder, ControlClient* control)
    : plan_(plan), recorder_(recorder), control_(control), owner_token_(owner_token(plan)),
      jitter_(plan.seed), faults_(plan), payloads_(op_id_count(plan.ops)) {
    if (plan.timing == TimingMode::sampled && plan.sample_every > 1)
        tallies_.resize(payloads_.size());
}

bool Executor::opens_itself() const {
    return starts_with_open(plan_.ops);
}

bool Executor::open_at_start() {
    return open_objects(nullptr, plan_.open_mode);
}

void Executor::run() {
    // The loader pairs every lock with an unlock in the same op list; should a plan end inside a
    // section anyway, or an op throw inside one (a log that cannot grow, memory), the lock is
    // not left held for the others.
    try {
        run_ops(plan_.ops);
    } catch (...) {
        release_open_section();
        throw;
    }
    release_open_section();
}

void Executor::release_open_section() {
    if (!section_) return;
    std::optional<Section> section = std::exchange(section_, std::nullopt);
    try {
        leave(*section, objects_.mapping->header());
    } catch (const std::exception&) {
        // The unlock itself failed: nothing more this agent can do for the others.
    }
}

void Executor::run_ops(const std::vector<PlanOp>& ops) {
    for (const PlanOp& op : ops) {
        if (op.is_repeat) {
            run_repeat(op);
            continue;
        }
        if (control_) control_->set_op(op.id);
        ++seq_;
        run_leaf(op);
    }
}

void Executor::run_repeat(const PlanOp& op) {
    // Inside a section that did not acquire, the ops are recorded as skipped once each, not
    // once per iteration: a timed repeat would otherwise spin out its duration recording them.
    if (skipping_) return run_ops(op.ops);
    if (op.count > 0) {
        run_body(op, op.count);
        return record_tallies();
    }
    const std::uint64_t end = now_ns() + op.duration_ns;
    std::uint64_t stride = 1;
    for (std::uint64_t last = now_ns(); last < end;) {
        run_body(op, stride);
        const std::uint64_t now = now_ns();
        const std::uint64_t took = now > last ? now - last : 0;
        if (took < deadline_check_ns / 2 && stride < max_stride)
            stride *= 2;
        else if (took > 2 * deadline_check_ns && stride > 1)
            stride /= 2;
        last = now;
    }
    record_tallies();
}

void Executor::run_body(const PlanOp& repeat, std::uint64_t times) {
    if (is_plain_write_body(repeat)) return run_writes(repeat.ops.front(), times);
    for (std::uint64_t i = 0; i < times; ++i)
        run_ops(repeat.ops);
}

void Executor::run_leaf(const PlanOp& op) {
    if (skipping_) {
        EventRecord event = instant_event(op);
        event.outcome = Outcome::skipped;
        recorder_.record(event);
        if (op.kind == OpKind::unlock) skipping_ = false;
        return;
    }
    if (needs_objects(op) && !is_open()) return record_error(op, event_error::not_open);
    try {
        // Whether a fault fires is decided here, before the op locks anything: without faults
        // the op runs exactly as it would in a build that had none.
        if (!faults_.any() || !run_with_fault(op)) dispatch(op);
    } catch (const boost::interprocess::interprocess_exception& e) {
        // A lock or unlock that fails leaves the mutex in an unknown state: stop here.
        record_error(op, error_of(e));
        throw std::runtime_error(std::string(to_string(op.kind)) + " (op #" +
                                 std::to_string(op.id) + ") failed: " + e.what());
    }
}

bool Executor::needs_objects(const PlanOp& op) const {
    switch (op.kind) {
    case OpKind::open:
    case OpKind::close: // reports not_open itself
    case OpKind::remove:
    case OpKind::sleep:
    case OpKind::barrier:
        return false;
    case OpKind::crash:
        return op.crash_at != CrashPoint::before_lock || section_.has_value();
    case OpKind::unlock: // closes a section: the mutex must be there
        return true;
    default:
        return takes_lock_itself(op.kind);
    }
}

void Executor::dispatch(const PlanOp& op) {
    switch (op.kind) {
    case OpKind::open:
        return open(op);
    case OpKind::close:
        return close(op);
    case OpKind::remove:
        return remove(op);
    case OpKind::write:
        return write(op);
    case OpKind::read:
        return read(op);
    case OpKind::wait_for:
        return wait_for(op);
    case OpKind::hold:
        return hold(op);
    case OpKind::increment:
        return increment(op);
    case OpKind::sleep:
        return sleep(op);
    case OpKind::lock:
    case OpKind::try_lock:
    case OpKind::timed_lock:
        return begin_section(op);
    case OpKind::unlock:
        return end_section(op);
    case OpKind::barrier:
        return barrier(op);
    case OpKind::crash:
        return crash(op);
    }
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

EventRecord Executor::instant_event(const PlanOp& op) const {
    EventRecord event = event_for(op, Section{});
    event.t_requested = event.t_released = now_ns();
    return event;
}

void Executor::record_error(const PlanOp& op, std::int32_t error) {
    EventRecord event = instant_event(op);
    event.outcome = Outcome::error;
    event.error = error;
    recorder_.record(event);
}

MessageHeader Executor::copy_message(const MappingHeader& mapping_header) {
    const MessageHeader& shared = mapping_header.message;
    MessageHeader header{load(shared.writer), load(shared.length), load(shared.writer_seq),
                         load(shared.checksum)};
    const std::size_t length = std::min<std::size_t>(header.length, capacity());
    std::memcpy(read_buffer_.get(), objects_.mapping->payload(), length);
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

} // namespace ipch
