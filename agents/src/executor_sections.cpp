// Critical sections: the explicit lock / try_lock / timed_lock .. unlock sections, built from the
// steps every section takes at acquire and release (owner word, stamp, times:
// executor_sections.hpp).
#include "executor_sections.hpp"

#include <cerrno>

namespace ipch {

// lock, try_lock, timed_lock. Acquired: the section is open, and the event says when it was
// asked for and got (its stamp is the section's; the section itself is the unlock's event).
// Not acquired: the event says how long it tried, and the ops up to the unlock are skipped.
void Executor::begin_section(const PlanOp& op) {
    // Sections do not nest (the loader refuses it): a second lock would wait for itself.
    if (section_) return record_error(op, EDEADLK);
    MappingHeader& header = objects_.mapping->header();
    Section section;
    section.t_requested = now_ns();
    bool acquired = true;
    if (op.kind == OpKind::try_lock)
        acquired = objects_.mutex->try_lock();
    else if (op.kind == OpKind::timed_lock)
        acquired = objects_.mutex->timed_lock(section.t_requested + op.duration_ns);
    else
        objects_.mutex->lock();
    // A timed_lock's event carries the timeout it asked for: the checker holds it to it.
    const std::uint64_t timeout = op.kind == OpKind::timed_lock ? op.duration_ns : 0;
    if (!acquired) {
        EventRecord event = event_for(op, section);
        event.msg_writer_seq = timeout;
        event.t_released = now_ns();
        event.outcome = op.kind == OpKind::try_lock ? Outcome::busy : Outcome::timeout;
        recorder_.record(event);
        skipping_ = true;
        return;
    }
    section.t_acquired = reading_ns(enter(section, header));
    // The lock op's event is recorded now, inside the section it opens (which spans user ops,
    // so this is no cost to a bare lock..unlock).
    note_recovery(section);
    section_ = section;
    EventRecord event = event_for(op, section);
    event.flags = (section.flags & ~event_flag::critical_section) | event_flag::in_section;
    event.t_released = section.t_acquired; // the op ends once it holds the lock
    event.msg_writer_seq = timeout;
    recorder_.record(event);
}

// The section's event: requested and acquired at the lock, released here.
void Executor::end_section(const PlanOp& op) {
    if (!section_) return record_error(op, event_error::not_held);
    Section section = *section_;
    section_.reset();
    leave(section, objects_.mapping->header());
    recorder_.record(event_for(op, section));
}

} // namespace ipch
