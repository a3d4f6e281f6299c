// open, close, remove: the objects' lifetime as the scenario drives it. Each failure is an
// event with the OS's errno, and the agent goes on.
#include "executor_sections.hpp"

#include <iostream>

namespace ipch {

// `op` is null for the open at start (op id 0), which uses the plan's own mode.
bool Executor::open_objects(const PlanOp* op, OpenMode mode) {
    EventRecord event{};
    event.kind = OpKind::open;
    if (op != nullptr) event = event_for(*op, Section{});
    event.t_requested = now_ns();
    try {
        if (mode == plan_.open_mode) {
            objects_ = ipch::open_objects(plan_);
        } else {
            // The backends open as a plan says; this op's mode overrides the agent's.
            AgentPlan as_op_says = plan_;
            as_op_says.open_mode = mode;
            objects_ = ipch::open_objects(as_op_says);
        }
    } catch (const OpenError& e) {
        event.outcome = Outcome::error;
        event.error = e.error();
        std::cerr << "ipc-agent " << plan_.agent_name << ": " << e.what() << "\n";
    }
    event.t_released = now_ns();
    describe_open(event, mode);
    recorder_.record(event);
    if (event.outcome != Outcome::ok) return false;
    if (read_buffer_size_ < capacity()) {
        // Not zero-filled: a large mapping's buffer costs memory only where messages touch it.
        read_buffer_ = std::make_unique_for_overwrite<char[]>(capacity());
        read_buffer_size_ = capacity();
    }
    return true;
}

// What the open found, as create-open-race reads it: who created what, and which objects.
void Executor::describe_open(EventRecord& event, OpenMode mode) const {
    if (mode == OpenMode::create_or_open) event.flags |= event_flag::create_or_open;
    if (event.outcome != Outcome::ok) return;
    const Mapping& mapping = *objects_.mapping;
    if (mapping.created()) event.flags |= event_flag::created;
    if (mapping.not_zero()) event.flags |= event_flag::not_zero;
    // The in-mapping kinds' created() says who built the lock area: not a named object.
    if (has_named_object(plan_.mutex_kind) && objects_.mutex->created())
        event.flags |= event_flag::created_mutex;
    event.msg_checksum = mapping.identity();
    event.computed_checksum = mutex_identity(plan_);
}

void Executor::open(const PlanOp& op) {
    // Opening what is open reopens it: the old handles go first, as a close would drop them.
    drop_objects();
    open_objects(&op, op.open_mode);
}

void Executor::close(const PlanOp& op) {
    if (!is_open()) return record_error(op, event_error::not_open);
    EventRecord event = instant_event(op);
    drop_objects();
    event.t_released = now_ns();
    recorder_.record(event);
}

void Executor::drop_objects() {
    // The mutex first: a kind that lives in the mapping must not outlive it.
    objects_.mutex.reset();
    objects_.mapping.reset();
}

void Executor::remove(const PlanOp& op) {
    EventRecord event = instant_event(op);
    const int mapping_error = remove_mapping(plan_);
    const int mutex_error = remove_mutex(plan_);
    event.t_released = now_ns();
    event.error = mapping_error != 0 ? mapping_error : mutex_error;
    if (event.error != 0) event.outcome = Outcome::error;
    recorder_.record(event);
}

} // namespace ipch
