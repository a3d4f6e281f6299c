// Private to the executor's files: the steps every critical section takes at acquire and release
// (owner word, stamp, times), and the templates that run an op's body inside a critical section.
#pragma once

#include "clock.hpp"
#include "executor.hpp"
#include "shared_words.hpp"

namespace ipch {

// The event of an op that wrote `message`.
inline void mark_written(EventRecord& event, const MessageHeader& message) {
    event.flags |= event_flag::written;
    event.msg_writer = message.writer;
    event.msg_length = message.length;
    event.msg_writer_seq = message.writer_seq;
    event.msg_checksum = message.checksum;
}

// Inline: every op's own critical section runs them (a stress case's with --hold, for one).
inline std::uint64_t Executor::enter(Section& section, MappingHeader& header) {
    const std::uint64_t reading = clock_reading();
    section.flags |= event_flag::critical_section;
    const Acquired acquired = take_owner_word(header, owner_token_);
    section.owner_seen = acquired.owner_seen;
    section.stamp = acquired.stamp;
    section.flags |= acquired.flags;
    return reading;
}

inline void Executor::leave(Section& section, MappingHeader& header) {
    section.flags |= give_owner_word_back(header, owner_token_);
    // Read inside the critical section: a correct lock keeps it before the next acquire. Only
    // the read: its conversion runs after the unlock, where it does not lengthen the section.
    const std::uint64_t released = clock_reading();
    objects_.mutex->unlock();
    section.t_released = reading_ns(released);
    note_recovery(section);
}

// Whether this section's acquire took the lock from a dead holder: the backend keeps that until
// its next acquire, so it is asked after the unlock, not inside the section.
inline void Executor::note_recovery(Section& section) const {
    if (objects_.mutex->recovered()) section.flags |= event_flag::recovered;
}

template <typename Body>
Executor::Section Executor::locked(Body&& body) {
    MappingHeader& header = objects_.mapping->header();
    Section section;
    section.t_requested = now_ns();
    objects_.mutex->lock();
    const std::uint64_t acquired = enter(section, header);
    body(header);
    leave(section, header);
    section.t_acquired = reading_ns(acquired);
    return section;
}

template <typename Body>
void Executor::unstamped(Body&& body) {
    MappingHeader& header = objects_.mapping->header();
    objects_.mutex->lock();
    store(header.owner, owner_token_);
    body(header);
    store(header.owner, 0u);
    objects_.mutex->unlock();
}

template <typename Body>
Executor::Section Executor::critical(Body&& body) {
    if (!section_) return locked(body);
    // Inside an explicit section the lock is already held: the op runs under the section's
    // stamp, with its own start and end times.
    MappingHeader& header = objects_.mapping->header();
    Section inside;
    inside.flags = event_flag::in_section;
    inside.stamp = section_->stamp;
    inside.t_requested = inside.t_acquired = now_ns();
    body(header);
    inside.t_released = now_ns();
    return inside;
}

} // namespace ipch
