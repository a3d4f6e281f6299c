// Sampled timing (TimingMode::sampled): which op instances run unstamped, and the tally events
// that count them.
#include "executor_sections.hpp"

#include <algorithm>
#include <boost/interprocess/exceptions.hpp>
#include <cassert>

namespace ipch {

bool Executor::runs_unstamped(const PlanOp& op) {
    // An explicit section is stamped at its lock and unlock, whatever runs inside it; a stand-in
    // mutex (a seeded fault) records what the fault claims.
    if (tallies_.empty() || section_ || stand_in_) return false;
    Tally& tally = tallies_[op.id];
    if (tally.until_stamped == 0) {
        tally.until_stamped = plan_.sample_every - 1;
        return false;
    }
    --tally.until_stamped;
    tally.kind = op.kind;
    ++tally.unrecorded;
    return true;
}

void Executor::record_tallies() {
    for (std::uint32_t id = 0; id < tallies_.size(); ++id) {
        Tally& tally = tallies_[id];
        if (tally.unrecorded == 0) continue;
        EventRecord event{};
        event.op_id = id;
        event.kind = tally.kind;
        event.outcome = Outcome::ok;
        event.seq = seq_;
        event.flags = event_flag::tally;
        event.msg_writer_seq = tally.unrecorded;
        event.t_requested = event.t_released = now_ns();
        recorder_.record(event);
        tally.unrecorded = 0;
    }
}

bool Executor::is_plain_write_body(const PlanOp& repeat) const {
    if (repeat.ops.size() != 1) return false;
    const PlanOp& op = repeat.ops.front();
    return !op.is_repeat && op.kind == OpKind::write && !faults_.any() && !skipping_ && !section_ &&
           !stand_in_ && is_open();
}

// The stress loop: what run_ops and run_leaf do for each instance, less the checks that cannot
// change between instances of one write (no section opens, no fault fires, the objects stay
// open), so that neither mode pays for interpreting the op tree on every section. In sampled
// timing the unstamped instances between two stamped ones run as one tight loop, everything
// they need looked up once.
void Executor::run_writes(const PlanOp& op, std::uint64_t times) {
    if (control_) control_->set_op(op.id);
    const BuiltPayload& built = payloads_[op.id];
    try {
        for (std::uint64_t done = 0; done < times;) {
            if (!built.reusable) {
                // The first instance, which builds the payload; or one with {seq}, built anew.
                ++seq_;
                write(op);
                ++done;
            } else if (tallies_.empty()) {
                // Full timing: every instance stamped.
                write_stamped_run(op, times - done);
                done = times;
            } else if (const std::uint64_t unstamped = unstamped_run(op, times - done)) {
                write_unstamped_run(op, unstamped);
                done += unstamped;
            } else {
                // The sample_every-th: stamped, as runs_unstamped would have decided.
                tallies_[op.id].until_stamped = plan_.sample_every - 1;
                write_stamped_run(op, 1);
                ++done;
            }
        }
    } catch (const boost::interprocess::interprocess_exception& e) {
        record_error(op, error_of(e));
        throw std::runtime_error("write (op #" + std::to_string(op.id) + ") failed: " + e.what());
    }
}

WriteTarget Executor::write_target(const PlanOp& op) const {
    const BuiltPayload& built = payloads_[op.id];
    return {
        objects_.mapping->header(),
        objects_.mapping->payload(),
        built.text,
        {plan_.agent_id, static_cast<std::uint32_t>(built.text.size()), writes_, built.checksum},
        owner_token_};
}

void Executor::write_stamped_run(const PlanOp& op, std::uint64_t count) {
    const WriteTarget target = write_target(op);
    // event_for's and mark_written's event: the fields that are the same for every instance.
    EventRecord event{};
    event.op_id = op.id;
    event.kind = op.kind;
    event.outcome = Outcome::ok;
    event.msg_writer = target.message.writer;
    event.msg_length = target.message.length;
    event.msg_checksum = target.message.checksum;
    StampedWrites writes{target, recorder_, event, seq_};
    objects_.mutex->repeat_stamped_writes(writes, count);
    writes_ = writes.message.writer_seq;
}

std::uint64_t Executor::unstamped_run(const PlanOp& op, std::uint64_t at_most) const {
    // run_writes decided already: sampled timing (tallies_ sized), the payload built.
    assert(!tallies_.empty() && payloads_[op.id].reusable);
    return std::min<std::uint64_t>(at_most, tallies_[op.id].until_stamped);
}

void Executor::write_unstamped_run(const PlanOp& op, std::uint64_t count) {
    UnstampedWrites writes{write_target(op)};
    objects_.mutex->repeat_writes(writes, count);
    writes_ = writes.message.writer_seq;
    seq_ += count;
    Tally& tally = tallies_[op.id];
    tally.until_stamped -= static_cast<std::uint32_t>(count);
    tally.unrecorded += count;
    tally.kind = op.kind;
}

} // namespace ipch
