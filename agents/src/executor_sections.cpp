// Critical sections: the steps every one takes at acquire and release (owner word, stamp,
// times), and the explicit lock / try_lock / timed_lock .. unlock sections built from them.
#include "executor_sections.hpp"

#include <cerrno>

namespace ipch {

void Executor::enter(Section& section, MappingHeader& header) {
    section.flags |= event_flag::critical_section;
    section.t_acquired = now_ns();
    section.owner_seen = load(header.owner);
    if (section.owner_seen != 0 && (section.owner_seen >> 16) == (owner_token_ >> 16))
        section.flags |= event_flag::owner_busy;
    store(header.owner, owner_token_);
    section.stamp = load(header.stamp) + 1;
    store(header.stamp, section.stamp);
}

void Executor::leave(Section& section, MappingHeader& header) {
    if (load(header.owner) != owner_token_) section.flags |= event_flag::owner_changed;
    store(header.owner, 0u);
    // Read inside the critical section: a correct lock keeps it before the next acquire.
    section.t_released = now_ns();
    objects_.mutex->unlock();
    note_recovery(section);
}

// Whether this section's acquire took the lock from a dead holder: the backend keeps that until
// its next acquire, so it is asked after the unlock, not inside the section.
void Executor::note_recovery(Section& section) const {
    if (objects_.mutex->recovered()) section.flags |= event_flag::recovered;
}

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
    enter(section, header);
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
