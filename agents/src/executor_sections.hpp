// Private to the executor's files: access to the mapping's shared words, and the two templates
// that run an op's body inside a critical section.
#pragma once

#include "clock.hpp"
#include "executor.hpp"

#include <atomic>
#include <cstring>
#include <string_view>

namespace ipch {

// The header's words are shared with other processes that may (under a broken lock) touch
// them at the same time: access them as relaxed atomics, and increment the stamp and the
// counter with a plain load and store, so that two overlapping critical sections can end up
// with the same stamp, and lose an increment.
template <typename T>
T load(const T& word) {
    // atomic_ref<const T> is not allowed: the word is only read here.
    return std::atomic_ref<T>(const_cast<T&>(word)).load(std::memory_order_relaxed);
}

template <typename T>
void store(T& word, T value) {
    std::atomic_ref<T>(word).store(value, std::memory_order_relaxed);
}

// Inside a critical section: the message's payload, then its header, as a write leaves them
// (a mid-write crash copies only part of `payload` before it dies).
inline void publish(MappingHeader& header, char* payload_area, const MessageHeader& message,
                    std::string_view payload) {
    std::memcpy(payload_area, payload.data(), payload.size());
    store(header.message.writer, message.writer);
    store(header.message.length, message.length);
    store(header.message.writer_seq, message.writer_seq);
    store(header.message.checksum, message.checksum);
}

// The event of an op that wrote `message`.
inline void mark_written(EventRecord& event, const MessageHeader& message) {
    event.flags |= event_flag::written;
    event.msg_writer = message.writer;
    event.msg_length = message.length;
    event.msg_writer_seq = message.writer_seq;
    event.msg_checksum = message.checksum;
}

template <typename Body>
Executor::Section Executor::locked(Body&& body) {
    MappingHeader& header = objects_.mapping->header();
    Section section;
    section.t_requested = now_ns();
    objects_.mutex->lock();
    enter(section, header);
    body(header);
    leave(section, header);
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
