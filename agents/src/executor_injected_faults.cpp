// The seeded faults (docs/properties.md, "Seeded faults"): the same ops as a buggy IPC library
// runs them. Each records its events as that library would claim them — the stamp, the owner
// word and the times of a section it says it held, the message it says it wrote or read — so
// the checker has to find the bug from what the agents observed, as it would in a real one.
#include "executor_sections.hpp"

#include <cstring>

namespace ipch {

namespace {

// What a buggy library does between the two halves of what should be one critical section (a
// torn write's second half, a lost increment's write): long enough for an agent waiting for the
// lock to take it, as a preempted writer would let it.
constexpr std::uint64_t between_halves_ns = 50'000;

} // namespace

bool Executor::run_with_fault(const PlanOp& op) {
    // Inside a section that a fault's stand-in mutex opened: it stands in up to the unlock.
    if (stand_in_) {
        dispatch(op);
        if (!section_) put_back_mutex();
        return true;
    }
    const std::optional<FaultKind> fault =
        faults_.draw([&](FaultKind kind) { return fault_applies(kind, op); });
    if (!fault) return false;
    switch (*fault) {
    case FaultKind::skip_lock:
    case FaultKind::classic:
    case FaultKind::double_unlock:
        run_with_stand_in(op, *fault);
        break;
    case FaultKind::early_release:
        write_releasing_early(op);
        break;
    case FaultKind::torn_write:
        write_torn(op);
        break;
    case FaultKind::stale_read:
        read_stale(op);
        break;
    case FaultKind::lost_increment:
        increment_relocking(op);
        break;
    }
    return true;
}

bool Executor::fault_applies(FaultKind fault, const PlanOp& op) const {
    const bool own_section = !section_ && takes_lock_itself(op.kind);
    switch (fault) {
    case FaultKind::skip_lock:
    case FaultKind::double_unlock:
        return own_section;
    case FaultKind::classic:
        // The classic app locks only the mutex it created: one that existed, it never owns.
        return own_section && !objects_.mutex->created();
    case FaultKind::early_release:
    case FaultKind::torn_write:
        return own_section && op.kind == OpKind::write;
    case FaultKind::stale_read:
        return op.kind == OpKind::read;
    case FaultKind::lost_increment:
        return own_section && op.kind == OpKind::increment;
    }
    return false;
}

void Executor::run_with_stand_in(const PlanOp& op, FaultKind fault) {
    objects_.mutex = std::make_unique<FaultyMutex>(std::move(objects_.mutex), fault);
    stand_in_ = true;
    try {
        dispatch(op);
    } catch (...) {
        put_back_mutex();
        throw;
    }
    // An explicit section it opened keeps it to the unlock; a try_lock that found the lock busy
    // (double-unlock locks) opened none.
    if (!section_) put_back_mutex();
}

void Executor::put_back_mutex() {
    auto* stand_in = static_cast<FaultyMutex*>(objects_.mutex.get());
    std::unique_ptr<MutexBackend> real = stand_in->take_real();
    objects_.mutex = std::move(real);
    stand_in_ = false;
}

// The header is published and the lock released before the payload is copied: a reader that
// takes the lock meanwhile sees the new header over the old (or half-new) payload.
void Executor::write_releasing_early(const PlanOp& op) {
    const std::optional<Outgoing> message = outgoing_message(op);
    if (!message) return;
    char* payload = objects_.mapping->payload();
    const Section section = locked([&](MappingHeader& header) {
        // No payload yet (an empty view of it: memcpy is given a real pointer even for 0 bytes).
        publish(header, payload, message->header, std::string_view(message->payload.data(), 0));
    });
    std::memcpy(payload, message->payload.data(), message->payload.size());
    record_write(op, section, message->header);
}

// Half the payload and the header inside the lock; the rest after it, once the writer has let
// others run.
void Executor::write_torn(const PlanOp& op) {
    const std::optional<Outgoing> message = outgoing_message(op);
    if (!message) return;
    char* payload = objects_.mapping->payload();
    const std::size_t half = message->payload.size() / 2;
    const Section section = locked([&](MappingHeader& header) {
        publish(header, payload, message->header,
                std::string_view(message->payload).substr(0, half));
    });
    sleep_ns(between_halves_ns);
    std::memcpy(payload + half, message->payload.data() + half, message->payload.size() - half);
    record_write(op, section, message->header);
}

// The lock is taken as usual, but the message comes from a cache: the one the first stale read
// found in the mapping, served again to every later one.
void Executor::read_stale(const PlanOp& op) {
    MessageHeader header{};
    const Section section = critical([&](MappingHeader& shared) {
        if (!faults_.cached) {
            header = copy_message(shared);
            const std::size_t length = std::min<std::size_t>(header.length, capacity());
            faults_.cached = InjectedFaults::CachedMessage{
                header, std::string(read_buffer_.get(), read_buffer_.get() + length)};
            return;
        }
        header = faults_.cached->header;
        std::memcpy(read_buffer_.get(), faults_.cached->payload.data(),
                    std::min(faults_.cached->payload.size(), capacity()));
    });
    record_read(op, section, header);
}

// The counter is read in one section and written in another: an increment of another agent in
// between is lost. The event is the first section's, where the value was read, as the library
// would report one increment; the second lock keeps the owner word and stamp as they are.
void Executor::increment_relocking(const PlanOp& op) {
    std::uint64_t value = 0;
    const Section section = locked([&](MappingHeader& header) { value = load(header.counter); });
    sleep_ns(between_halves_ns);
    objects_.mutex->lock();
    store(objects_.mapping->header().counter, value + 1);
    objects_.mutex->unlock();
    EventRecord event = event_for(op, section);
    event.msg_writer_seq = value;
    recorder_.record(event);
}

} // namespace ipch
