// What the three properties that judge lock order (mutual-exclusion, no-lost-update,
// read-latest) follow while the lock-order replay goes by (LockOrder::replay). The replay hands
// each event that ran in lock order to all three in one loop, each run a small state the loop
// keeps in registers: one pass, no batch copied out and read three times, no call per event.
// The properties own their runs and judge by them at finish; read-latest's sorted fallback
// steps through the same StepRun.
#pragma once

#include "check/detail.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace ipch::check {

// `when` if `take`, else `otherwise`, by arithmetic rather than a branch: in the replay what
// decides (a write? an increment?) comes as randomly as the agents' turns, which no branch
// predictor foresees (GCC makes a branch of ?:, of an array index and of a cmov in asm alike,
// even with __builtin_expect_with_probability). The replay chooses where to store rather than
// what: *chosen(take, &field, &scratch) = value.
template <class T>
[[gnu::always_inline]] inline T* chosen(bool take, T* when, T* otherwise) {
    const auto mask = static_cast<std::uintptr_t>(-static_cast<std::uintptr_t>(take));
    const auto a = reinterpret_cast<std::uintptr_t>(when);
    const auto b = reinterpret_cast<std::uintptr_t>(otherwise);
    return reinterpret_cast<T*>(b ^ ((a ^ b) & mask));
}

// ---------------------------------------------------------------------------------------------
// mutual-exclusion

// is_section for an event the replay hands on: it ran in lock order, so it held the lock, and
// only its flags and kind are left to test (the replay asks this of every event).
[[gnu::always_inline]] inline bool is_replayed_section(const EventRecord& event) {
    // lock, unlock, try_lock and timed_lock are 10..13: an opener is one of them but unlock.
    static_assert(static_cast<unsigned>(OpKind::lock) == 10 &&
                  static_cast<unsigned>(OpKind::unlock) == 11 &&
                  static_cast<unsigned>(OpKind::try_lock) == 12 &&
                  static_cast<unsigned>(OpKind::timed_lock) == 13);
    // Of those four only unlock closes a section; any other op is one of its own unless it
    // runs inside an explicit section.
    const unsigned lockish = static_cast<unsigned>(event.kind) - 10u;
    const std::uint32_t flags = event.flags;
    const bool closes = lockish < 4u ? lockish == 1u : (flags & event_flag::in_section) == 0;
    return ((flags & event_flag::unreleased) != 0) |
           (((flags & event_flag::critical_section) != 0) & closes);
}

// What one pass in lock order settles for mutual-exclusion: sections that come with a stamp of
// their own each, in acquire order too, none overlapping the one that held the lock before,
// with no owner-word conflict and none left unreleased: a pass. Anything else spoils it, and
// the property sorts copies of the sections and looks closer, evidence and all.
//
// As few fields as will do, so that the replay keeps them in registers: the section before is
// a pointer (its times are in cache, read a moment ago) and its agent's position, which with
// the pointer orders two sections as (agent, index) would; and the stamps missing between the
// sections follow from the first, the last and the count while they only go up.
struct SectionRun {
    // Before the first section: the highest stamp, which no section comes plainly after, so the
    // first takes follow_settled's longer way, where it is told by the count.
    static constexpr EventRecord no_section = [] {
        EventRecord event{};
        event.stamp = UINT64_MAX;
        return event;
    }();

    std::uint64_t tolerance_ns = 0;
    bool spoiled = false;
    std::uint64_t count = 0;
    std::uint64_t first_stamp = 0;
    std::uint64_t latest_release = 0;        // of the section that releases latest so far
    const EventRecord* before = &no_section; // the section before
    std::size_t before_agent = 0;            // and its agent's position
    std::uint64_t last_stamp = 0;            // of the last section, once the replay is done

    // Stamps between the sections that none of them holds (while not spoiled).
    std::uint64_t missing() const {
        return count == 0 ? 0 : last_stamp - first_stamp - (count - 1);
    }

    // An event of the replay, of the agent at `agent`: its events come in order, in memory.
    [[gnu::always_inline]] void see(const EventRecord& event, std::size_t agent) {
        if (!spoiled && is_replayed_section(event)) follow(event, agent);
    }

    // After the last event: what finish reads.
    void done() { last_stamp = count > 0 ? before->stamp : 0; }

    // Adds one section to the run, or spoils it.
    [[gnu::always_inline]] void follow(const EventRecord& event, std::size_t agent) {
        constexpr std::uint32_t unsettled =
            event_flag::unreleased | event_flag::owner_busy | event_flag::owner_changed;
        if ((event.flags & unsettled) != 0) {
            spoiled = true;
            return;
        }
        follow_settled(event, agent);
    }

    // follow, for a section known to carry none of the flags that spoil the run.
    [[gnu::always_inline]] void follow_settled(const EventRecord& event, std::size_t agent) {
        // What nearly every section of a correct lock shows, in one test: a higher stamp,
        // acquired after the section before and after the latest release. Only a section that
        // fails it (and the first) needs the exact comparisons below.
        const bool plainly_after = (event.stamp > before->stamp) &
                                   (before->t_acquired < event.t_acquired) &
                                   (latest_release <= event.t_acquired);
        if (plainly_after) [[likely]] {
            latest_release = std::max(latest_release, event.t_released);
            before = &event;
            before_agent = agent;
            ++count;
            return;
        }
        if (count > 0) {
            // by_acquired, for two sections that were both released; field by field, the
            // acquire nearly always deciding.
            const bool acquired_after =
                before->t_acquired != event.t_acquired   ? before->t_acquired < event.t_acquired
                : before->t_released != event.t_released ? before->t_released < event.t_released
                : before_agent != agent                  ? before_agent < agent
                                                         : before < &event;
            // As mutual-exclusion's find_overlaps: against the section that releases latest.
            const bool overlap = latest_release > event.t_acquired &&
                                 latest_release - event.t_acquired > tolerance_ns;
            if (event.stamp <= before->stamp || !acquired_after || overlap) {
                spoiled = true;
                return;
            }
            latest_release = std::max(latest_release, event.t_released);
        } else {
            first_stamp = event.stamp;
            latest_release = event.t_released;
        }
        before = &event;
        before_agent = agent;
        ++count;
    }
};

// ---------------------------------------------------------------------------------------------
// no-lost-update

// An increment no-lost-update judges: a committed one outside sections a crash left unreleased.
inline bool judged_increment(const EventRecord& event) {
    return event.kind == OpKind::increment && event.outcome == Outcome::ok &&
           !has_flag(event, event_flag::unreleased);
}

// Under a correct lock, lock order is value order: each increment read what the one before
// wrote. The run notes whether the values went up; how many they skipped follows from the first,
// the last and the count.
struct IncrementRun {
    bool spoiled = false;
    std::uint64_t count = 0;
    std::uint64_t first_value = 0;
    std::uint64_t last_value = 0;

    // Values between the increments' that none of them read (while not spoiled).
    std::uint64_t missing() const {
        return count == 0 ? 0 : last_value - first_value - (count - 1);
    }

    [[gnu::always_inline]] void see(const EventRecord& event) {
        if (judged_increment(event)) follow_if(event, true);
    }

    // Adds the event to the run when `judged` (a judged increment), else changes nothing,
    // without a branch on `judged` (chosen): in the replay increments come among other ops as
    // the agents' turns did.
    [[gnu::always_inline]] void follow_if(const EventRecord& event, bool judged) {
        const std::uint64_t value = event.msg_writer_seq;
        const bool first = count == 0;
        if (judged & first) [[unlikely]] // once a history
            first_value = value;
        spoiled |= judged & !first & (value <= last_value);
        std::uint64_t not_judged = 0;
        *chosen(judged, &last_value, &not_judged) = value;
        count += judged ? 1 : 0;
    }
};

// ---------------------------------------------------------------------------------------------
// read-latest

// A write or an observation inside the lock: where it goes in lock order, and which event it is.
struct Step {
    std::uint64_t stamp;
    std::uint64_t acquired; // the same for every op of one explicit section: they go by index
    std::size_t agent;
    std::size_t index;
};

// Field by field, as a tuple's three-way comparison costs more where the stamp nearly always
// decides (every step of the replay is compared with the one before).
inline bool by_lock_order(const Step& x, const Step& y) {
    if (x.stamp != y.stamp) return x.stamp < y.stamp;
    if (x.acquired != y.acquired) return x.acquired < y.acquired;
    if (x.agent != y.agent) return x.agent < y.agent;
    return x.index < y.index;
}

// Bitwise: the replay asks it of every event, where a branch per field costs more.
inline bool same_message(const EventRecord& x, const EventRecord& y) {
    return (x.msg_writer == y.msg_writer) & (x.msg_writer_seq == y.msg_writer_seq) &
           (x.msg_checksum == y.msg_checksum);
}

// Where an agent is: in an explicit section or not, and if so its stamp and the time that
// orders all of its ops (the first one's), whatever times each op recorded.
struct SectionState {
    bool in_section = false;
    std::uint64_t stamp = 0;
    std::uint64_t acquired = 0;
};

// Whether the event is a step (a committed write or a checked read), and if so where it goes
// in lock order into `step`; `state` follows the agent's explicit sections. Only events in lock
// order come here.
[[gnu::always_inline]] inline bool step_of(const EventRecord& event, std::size_t agent,
                                           std::size_t index, SectionState& state, Step& step) {
    const bool inside = has_flag(event, event_flag::in_section);
    if (inside && (!state.in_section || event.stamp != state.stamp)) {
        state.stamp = event.stamp;
        state.acquired = event.t_acquired;
    }
    state.in_section = inside;
    if (!(is_committed_write(event) | is_checked_read(event))) return false;
    step = Step{event.stamp, inside ? state.acquired : event.t_acquired, agent, index};
    return true;
}

// Where the message the mapping must hold came from.
enum class Source { nothing_yet, write, initial_content, write_in_flight };

struct Latest {
    Source source = Source::nothing_yet;
    std::size_t agent = 0;              // the write's agent, or the read's that first saw it
    const EventRecord* event = nullptr; // and its event
};

// An event's place in the history, from its agent and its address in that agent's events.
inline EventRef ref_of(const History& history, std::size_t agent, const EventRecord* event) {
    return {agent, static_cast<std::size_t>(event - history.agents[agent].events.data())};
}

// Decides a read that did not return the latest message (rare, so out of line): an op in
// flight when its writer died may explain it (and becomes the latest), else a stale read.
class StaleReads {
  public:
    virtual void judge(Latest& latest, std::size_t agent, const EventRecord& event) = 0;

  protected:
    ~StaleReads() = default;
};

// Where the replay's agent is in the stamp it replays: inside an explicit section or not, and
// if so the acquire of the section's first op, which orders all of its ops.
struct ReplayedSection {
    bool inside = false;
    std::uint64_t acquired = 0;
};

// Steps in lock order, tracking which message the mapping must hold. In the replay the steps
// must come each after the one before by_lock_order, which makes the replayed order the sorted
// one; one out of order ends the run (out_of_order), and read-latest sorts instead.
struct StepRun {
    // Before the first step: stamp 0, which the replay never hands on (LockOrder).
    static constexpr EventRecord no_step{};

    StaleReads* stale = nullptr;
    bool out_of_order = false;
    // The step before, as by_lock_order sees it (its event's address orders it within its
    // agent, and holds its stamp).
    struct Previous {
        const EventRecord* event = &no_step;
        std::uint64_t acquired = 0;
        std::size_t agent = 0;
    };
    Previous previous;
    Latest latest{Source::nothing_yet, 0, &no_step}; // an event to compare with, always
    std::uint64_t writes = 0;
    std::uint64_t reads = 0; // checked
    // Where see_own_section stores what an event that changes nothing would have (chosen).
    struct {
        Previous previous;
        Latest latest;
    } discarded;

    // An event of the replay, whose stamps never go down, of the agent at `agent` (its events
    // come in order, in memory); `section` follows the agent's explicit section in this stamp.
    [[gnu::always_inline]] void see(const EventRecord& event, std::size_t agent,
                                    ReplayedSection& section) {
        if (out_of_order) return;
        // step_of, for the replay: the agent's events of one stamp all come at once, so a
        // section begins where the agent was not inside one before.
        const std::uint32_t flags = event.flags;
        const bool inside = (flags & event_flag::in_section) != 0;
        if (inside & !section.inside) section.acquired = event.t_acquired;
        section.inside = inside;
        if (!(is_committed_write(event) | is_checked_read(event))) return;
        follow(event, agent, inside ? section.acquired : event.t_acquired);
    }

    // see, for an event outside any explicit section (an op's own section), without a branch
    // on what the event is (a write, a read, neither: chosen). Only a step with the stamp of
    // the step before (two agents that took one stamp) goes follow's way.
    [[gnu::always_inline]] void see_own_section(const EventRecord& event, std::size_t agent) {
        if (out_of_order) return;
        const bool write = is_committed_write(event);
        const bool read = is_checked_read(event) & !write; // as step: a write first
        const bool is_step = write | read;
        if (is_step & (event.stamp == previous.event->stamp)) [[unlikely]] {
            follow(event, agent, event.t_acquired);
            return;
        }
        *chosen(is_step, &previous, &discarded.previous) =
            Previous{&event, event.t_acquired, agent};
        writes += write ? 1 : 0;
        reads += read ? 1 : 0;
        // step's read: the first before any write sees what the mapping held; any other must
        // see the latest message.
        const bool nothing_yet = latest.source == Source::nothing_yet;
        const bool stale_read = read & !nothing_yet & !same_message(event, *latest.event);
        const bool now_latest = write | (read & nothing_yet);
        *chosen(now_latest, &latest, &discarded.latest) =
            Latest{write ? Source::write : Source::initial_content, agent, &event};
        if (stale_read) [[unlikely]]
            stale->judge(latest, agent, event);
    }

    // A step of the replay, `acquired` the time that orders it in its stamp.
    [[gnu::always_inline]] void follow(const EventRecord& event, std::size_t agent,
                                       std::uint64_t acquired) {
        // A step with a higher stamp than the one before comes after it by_lock_order; only
        // one with the same stamp needs comparing, the rest of by_lock_order's fields in turn.
        if (event.stamp == previous.event->stamp &&
            !(previous.acquired != acquired ? previous.acquired < acquired
              : previous.agent != agent     ? previous.agent < agent
                                            : previous.event < &event)) {
            out_of_order = true;
            return;
        }
        previous.event = &event;
        previous.acquired = acquired;
        previous.agent = agent;
        step(agent, event);
    }

    // The next step in lock order, of the agent at `agent`.
    [[gnu::always_inline]] void step(std::size_t agent, const EventRecord& event) {
        if (is_committed_write(event)) {
            latest = Latest{Source::write, agent, &event};
            ++writes;
            return;
        }
        ++reads;
        if (latest.source == Source::nothing_yet) {
            // Before any write the mapping may hold what an earlier run left (reuse: true).
            latest = Latest{Source::initial_content, agent, &event};
            return;
        }
        if (!same_message(event, *latest.event)) stale->judge(latest, agent, event);
    }
};

// The runs of the checks that take part in the replay; a check joins by setting its pointer.
struct LockOrderRuns {
    SectionRun* sections = nullptr;     // mutual-exclusion
    IncrementRun* increments = nullptr; // no-lost-update
    StepRun* steps = nullptr;           // read-latest
};

} // namespace ipch::check
