// barrier (coordination through the harness's control object, never the mutex under test)
// and crash (fault injection: the agent SIGKILLs itself at a chosen point).
#include "executor_sections.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <unistd.h>

namespace ipch {

void Executor::barrier(const PlanOp& op) {
    // An agent that is not a participant would be counted as one and release the barrier
    // early; make_plan never plans that.
    if (control_ == nullptr || op.barrier >= plan_.barriers.size()) return record_error(op, EINVAL);
    const std::vector<std::uint32_t>& participants = plan_.barriers[op.barrier].participants;
    if (std::find(participants.begin(), participants.end(), plan_.agent_index) ==
        participants.end())
        return record_error(op, EINVAL);
    EventRecord event = instant_event(op);
    const auto result = control_->wait_at_barrier(op.barrier, participants, plan_.start_timeout_ns);
    event.t_released = now_ns();
    switch (result) {
    case ControlClient::BarrierResult::released:
        break;
    case ControlClient::BarrierResult::timeout:
    case ControlClient::BarrierResult::aborted:
        event.outcome = Outcome::timeout;
        break;
    case ControlClient::BarrierResult::broken:
        event.outcome = Outcome::error;
        event.error = event_error::barrier_broken;
        break;
    }
    recorder_.record(event);
    if (result == ControlClient::BarrierResult::aborted)
        throw RunAborted("the harness stopped the run at barrier '" +
                         plan_.barriers[op.barrier].name + "'");
}

void Executor::die() {
    // The crash event is committed (recorder_.record publishes it) before this: the kernel
    // keeps the log's pages, so the harness reads it after the kill.
    ::kill(::getpid(), SIGKILL);
    for (;;)
        ::pause();
}

void Executor::half_write(const PlanOp& op, EventRecord& event) {
    const std::uint64_t writer_seq = writes_ + 1;
    std::string text =
        expand_template(op.text.empty() ? "{agent} crash {seq}" : op.text, plan_, writer_seq);
    text.resize(std::min(text.size(), capacity()));
    const MessageHeader message{plan_.agent_id, static_cast<std::uint32_t>(text.size()), writer_seq,
                                message_checksum(text.data(), text.size())};
    // The whole header over half the payload: whoever reads next sees a torn message.
    publish(objects_.mapping->header(), objects_.mapping->payload(), message,
            std::string_view(text).substr(0, text.size() / 2));
    mark_written(event, message);
}

void Executor::crash(const PlanOp& op) {
    if (section_) {
        // Inside an explicit section: the section never ends, this event stands for it.
        EventRecord event = event_for(op, *section_);
        event.flags |= event_flag::unreleased;
        event.t_released = 0;
        if (op.crash_at == CrashPoint::mid_write) half_write(op, event);
        recorder_.record(event);
        die();
    }
    if (op.crash_at == CrashPoint::before_lock) {
        recorder_.record(instant_event(op));
        die();
    }
    if (op.crash_at == CrashPoint::after_unlock) {
        recorder_.record(event_for(op, locked([](MappingHeader&) {})));
        die();
    }
    // holding-lock, mid-write: inside a critical section that is never left.
    MappingHeader& header = objects_.mapping->header();
    Section section;
    section.t_requested = now_ns();
    objects_.mutex->lock();
    section.t_acquired = reading_ns(enter(section, header));
    note_recovery(section); // never left: asked here, where the agent dies anyway
    EventRecord event = event_for(op, section);
    event.flags |= event_flag::unreleased;
    event.t_released = 0;
    if (op.crash_at == CrashPoint::mid_write) half_write(op, event);
    recorder_.record(event);
    die();
}

} // namespace ipch
