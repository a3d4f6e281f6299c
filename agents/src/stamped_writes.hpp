// The stamped write sections of the stress loop (Executor::write_stamped_run), in the form a
// backend's repeat_stamped_writes runs them with its own lock and unlock called directly: each
// section stamped (requested, acquired, released), the owner word and the lock-order stamp kept
// as every section keeps them (shared_words.hpp), the next message published, and one event
// recorded: the event write() records.
#pragma once

#include "clock.hpp"
#include "event_recorder.hpp"
#include "shared_words.hpp"

#include <cstdint>

namespace ipch {

struct StampedWrites : WriteTarget {
    EventRecorder& recorder;
    EventRecord event;  // the op's event with its constant fields set (op, kind, message's)
    std::uint64_t& seq; // the executor's op instance count
    // The acquire's and the release's clock readings (clock_reading()), converted to ns after
    // the unlock, where the conversion does not lengthen the section.
    std::uint64_t acquired_reading = 0;
    std::uint64_t released_reading = 0;

    // Before the lock.
    [[gnu::always_inline]] void requested() { event.t_requested = now_ns(); }
    // Between the lock and the unlock: everything a write section does while it holds the lock.
    [[gnu::always_inline]] void inside() {
        acquired_reading = clock_reading();
        const Acquired acquired = take_owner_word(header, owner);
        ++message.writer_seq;
        publish(header, area, message, payload);
        event.flags = event_flag::critical_section | event_flag::written | acquired.flags |
                      give_owner_word_back(header, owner);
        released_reading = clock_reading();
        event.stamp = acquired.stamp;
        event.owner_seen = acquired.owner_seen;
    }
    // After the unlock; `recovered`: the backend's recovered() (a robust kind's dead holder).
    [[gnu::always_inline]] void record(bool recovered) {
        event.t_acquired = reading_ns(acquired_reading);
        event.t_released = reading_ns(released_reading);
        if (recovered) event.flags |= event_flag::recovered;
        event.seq = ++seq;
        event.msg_writer_seq = message.writer_seq;
        recorder.record(event);
    }
};

} // namespace ipch
