// The checker's private machinery: one entry point per property, and the helpers they share to
// name agents, ops and messages in evidence. Nothing here is seen outside check/.
#pragma once

#include "check.hpp"
#include "error_names.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace ipch::check {

struct LockOrderRuns; // check/lock_order_runs.hpp

// What a chunk of events holds, found in one pass over it: a check with nothing to look for in
// a chunk skips it (PropertyCheck::skips) rather than testing each of its events again.
struct ChunkTraits {
    std::uint32_t kinds = 0;   // bit k: an op of kind k (bit 31: of kind 31 or above)
    std::uint32_t flags = 0;   // every event's flags, or-ed
    bool errors = false;       // an op that failed (Outcome::error)
    std::uint32_t longest = 0; // the longest msg_length

    explicit ChunkTraits(std::span<const EventRecord> events) {
        // Without a branch: every event is looked at anyway.
        for (const EventRecord& event : events) {
            kinds |= 1u << std::min<unsigned>(static_cast<unsigned>(event.kind), 31u);
            flags |= event.flags;
            errors |= event.outcome == Outcome::error;
            longest = std::max(longest, event.msg_length);
        }
    }

    bool has(OpKind kind) const { return ((kinds >> static_cast<unsigned>(kind)) & 1u) != 0; }
    bool has_flag(std::uint32_t flag) const { return (flags & flag) != 0; }
};

// One property's check, as one pass over the history sees it. check_history reads the history
// once for every property: agent by agent, a chunk of events at a time (small enough to stay in
// cache while each property looks at it), each property keeping what it needs between chunks;
// then each finishes, in catalog order. Evidence comes out in the order the events came in.
//
// A check that judges critical sections in lock order says so (wants_lock_order) and joins
// the replay with its run (join: check/lock_order_runs.hpp). When the history's lock order can
// be replayed in one more pass (LockOrder), its run then follows every event that ran in lock
// order, in stamp order (one stamp's events agent after agent, each agent's in its own order),
// and the check gets `replayed` at the end; when not, it gets neither, and orders what it needs
// itself at finish. A run that needs a finer order verifies it as it goes.
class PropertyCheck {
  public:
    virtual ~PropertyCheck() = default;
    // Events `events` of the agent at `agent` in History::agents, the first being its event
    // `first`. Agents come in order, each agent's events in order and to its last (an agent
    // without events still gets one call, with none).
    virtual void scan(std::size_t agent, std::size_t first,
                      std::span<const EventRecord> events) = 0;
    // Whether a chunk with these traits holds nothing for this check, which then does not get
    // it: only for a check that keeps nothing between chunks but what such events change.
    virtual bool skips(const ChunkTraits& traits) const {
        (void)traits;
        return false;
    }
    // What the shared pass found that decides how a check judges (see LockOrder): called once,
    // after the last scan, before any replay.
    virtual void scanned(bool unstamped_sections) { (void)unstamped_sections; }
    virtual bool wants_lock_order() const { return false; }
    // Sets its run in `runs`, when it wants lock order: called once, before the replay.
    virtual void join(LockOrderRuns& runs) { (void)runs; }
    virtual void replayed() {}
    virtual PropertyResult finish() = 0;
};

// One checker per property with PropertyInfo::checked.
using MakeCheck = std::unique_ptr<PropertyCheck> (*)(const History&, const CheckOptions&);
std::unique_ptr<PropertyCheck> mutual_exclusion(const History& history,
                                                const CheckOptions& options);
std::unique_ptr<PropertyCheck> no_torn_read(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> no_lost_update(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> read_latest(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> writer_order(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> delivery(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> open_missing(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> capacity(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> persistence(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> permissions(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> create_open_race(const History& history,
                                                const CheckOptions& options);
std::unique_ptr<PropertyCheck> timed_lock(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> progress(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> fairness(const History& history, const CheckOptions& options);
std::unique_ptr<PropertyCheck> abandoned_lock(const History& history, const CheckOptions& options);

// A check that judges the whole history at once, with passes of its own, as one that takes part
// in the shared pass: it ignores the chunks and runs at finish.
template <PropertyResult (*check)(const History&, const CheckOptions&)>
std::unique_ptr<PropertyCheck> whole_history(const History& history, const CheckOptions& options) {
    class Whole final : public PropertyCheck {
      public:
        Whole(const History& h, const CheckOptions& o) : history_(h), options_(o) {}
        void scan(std::size_t, std::size_t, std::span<const EventRecord>) override {}
        PropertyResult finish() override { return check(history_, options_); }

      private:
        const History& history_;
        const CheckOptions& options_;
    };
    return std::make_unique<Whole>(history, options);
}

// One event of a history: the agent's position in History::agents, and the event's in its list.
struct EventRef {
    std::size_t agent = 0;
    std::size_t index = 0;
};

inline const EventRecord& event_at(const History& history, EventRef ref) {
    return history.agents[ref.agent].events[ref.index];
}

inline bool has_flag(const EventRecord& event, std::uint32_t flag) {
    return (event.flags & flag) != 0;
}

// An op that never held the lock, whatever else its event says: a try_lock that found it busy, a
// timed_lock that timed out, and an op skipped because its section's lock was not acquired.
inline bool never_held_the_lock(const EventRecord& event) {
    // Bitwise, not short-circuit: called for every event, where branches cost more than tests.
    return (event.outcome == Outcome::busy) | (event.outcome == Outcome::skipped) |
           ((event.kind == OpKind::timed_lock) & (event.outcome == Outcome::timeout));
}

// Whether an event ran in lock order, with a stamp: a plain op's own critical section, an op
// inside an explicit lock..unlock section (the section's stamp), or a section a crash left
// unreleased.
inline bool in_lock_order(const EventRecord& event) {
    constexpr std::uint32_t stamped =
        event_flag::critical_section | event_flag::in_section | event_flag::unreleased;
    return (event.flags & stamped) != 0 && !never_held_the_lock(event);
}

// Whether any of these events ran in lock order without a stamp (stamp 0: an external agent may
// leave the field out). Branch-free: an unstamped event is rare, and stopping at the first saves
// nothing worth a branch in a loop over millions of events.
inline bool any_unstamped(std::span<const EventRecord> events) {
    bool unstamped = false;
    for (const EventRecord& event : events)
        unstamped |= (event.stamp == 0) & in_lock_order(event);
    return unstamped;
}

// Whether an event is a critical section of its own, as mutual-exclusion counts them: a plain
// op's section, the unlock that closes an explicit section (the lock, try_lock or timed_lock
// that opened it is not one), or a section a crash left unreleased. Ops inside an explicit
// section share its stamp but are not sections.
inline bool is_section(const EventRecord& event) {
    // Bitwise, as never_held_the_lock: a lock, try_lock or timed_lock opens a section whose
    // unlock's event records it; an op inside an explicit section is not one of its own.
    const bool opener = (event.kind == OpKind::lock) | (event.kind == OpKind::try_lock) |
                        (event.kind == OpKind::timed_lock);
    const bool own = (event.kind == OpKind::unlock) | !has_flag(event, event_flag::in_section);
    const bool held = !never_held_the_lock(event);
    return held & (has_flag(event, event_flag::unreleased) |
                   (has_flag(event, event_flag::critical_section) & !opener & own));
}

// A write that completed: its message is in the mapping, as the event says.
inline bool is_committed_write(const EventRecord& event) {
    return (event.kind == OpKind::write) & (event.outcome == Outcome::ok) &
           has_flag(event, event_flag::written);
}

// A read that saw a whole message (observed, not torn): what the properties about reads check.
// One comparison of two flags: asked of every event.
inline bool is_checked_read(const EventRecord& event) {
    return (event.flags & (event_flag::observed | event_flag::torn)) == event_flag::observed;
}

// Agents that may have died with one op in flight: that op's event was never committed, so what
// it did (a stamp taken, a message written) is indeterminate rather than a violation.
bool may_have_op_in_flight(const AgentHistory& agent);

// How many ops may have run without a committed event in the history: one per agent that may
// have died with an op in flight, and any number (the maximum) once a log is damaged, since its
// lost records are unknown. Stamp and counter gaps up to this many are explained, not violations.
std::uint64_t unrecorded_ops_bound(const History& history);

// The op's label, or "op #N" when the agent has no label for it.
std::string op_label(const AgentHistory& agent, std::uint32_t op_id);

// "alice's 'write \"hi\"'": how evidence names one event's op.
std::string describe_op(const History& history, EventRef ref);

// The position in History::agents of the agent with this id; nullopt when there is none.
// History::agents is indexed by agent id - 1; the search is for callers that broke that.
std::optional<std::size_t> search_agent_position(const History& history, std::uint32_t agent_id);
inline std::optional<std::size_t> agent_position(const History& history, std::uint32_t agent_id) {
    if (agent_id >= 1 && agent_id <= history.agents.size() &&
        history.agents[agent_id - 1].agent_id == agent_id)
        return agent_id - 1;
    return search_agent_position(history, agent_id);
}

// The agent with this id, by name; "agent #N" when the history has no such agent (a message
// left in a reused mapping by another run).
std::string agent_name(const History& history, std::uint32_t agent_id);

// The message an event wrote or observed: "message #3 of alice (5 bytes)", or "the empty
// mapping" when its writer is 0.
std::string describe_message(const History& history, const EventRecord& event);

// "SIGKILL", or "signal N" for one without a common name.
std::string signal_name(int signal);

std::string hex(std::uint64_t value);

// "1.250 s", "3.100 ms", "120 ns": a span of time as a person reads it.
std::string duration_text(std::uint64_t ns);

EvidenceEvent evidence_event(const History& history, EventRef ref);

// Sorts `items`, which hold one run per agent in the agent's own order: `bounds` lists where each
// run starts, then items.size(). An agent's own events are nearly always in order already, so
// sorting each run only if it needs it and then merging runs pairwise costs O(n log agents)
// rather than a full sort's O(n log n): the difference at millions of events.
template <class T, class Less>
void sort_runs(std::vector<T>& items, std::vector<std::size_t> bounds, Less less) {
    const auto at = [&](std::size_t position) {
        return items.begin() + static_cast<std::ptrdiff_t>(position);
    };
    for (std::size_t r = 0; r + 1 < bounds.size(); ++r)
        if (!std::is_sorted(at(bounds[r]), at(bounds[r + 1]), less))
            std::sort(at(bounds[r]), at(bounds[r + 1]), less);
    while (bounds.size() > 2) {
        std::size_t kept = 0;
        std::size_t r = 0;
        for (; r + 2 < bounds.size(); r += 2) {
            std::inplace_merge(at(bounds[r]), at(bounds[r + 1]), at(bounds[r + 2]), less);
            bounds[kept++] = bounds[r];
        }
        if (r + 1 < bounds.size()) bounds[kept++] = bounds[r]; // an odd run waits a round
        bounds[kept++] = items.size();
        bounds.resize(kept);
    }
}

// How many events the history holds: the most items any property can collect.
std::size_t event_count(const History& history);

// Counts one violation; builds its evidence only while under the cap, so a history with a
// million violations costs a counter, not a million strings.
template <class MakeEvidence>
void add_violation(PropertyResult& result, const CheckOptions& options, MakeEvidence&& make) {
    ++result.violations;
    if (result.evidence.size() < options.max_evidence) result.evidence.push_back(make());
}

// A pass when nothing was violated, else a fail; `detail` says which.
inline void set_verdict(PropertyResult& result, std::string detail) {
    result.verdict = result.violations == 0 ? Verdict::pass : Verdict::fail;
    result.detail = std::move(detail);
}

inline PropertyResult not_applicable(std::string id, std::string detail) {
    PropertyResult result;
    result.id = std::move(id);
    result.verdict = Verdict::not_applicable;
    result.detail = std::move(detail);
    return result;
}

// "1 overlap" / "3 overlaps"
std::string count_of(std::uint64_t count, const char* singular, const char* plural);

// " (SIGKILL)", or "" without a signal.
std::string with_signal(int signal);

// How an agent ended, for a sentence that starts with its name: "was killed by SIGSEGV".
std::string how_it_ended(const AgentHistory& agent);

// What tells a torn read left by a crash mid-write from one a broken lock caused: the sections
// crashes left unreleased, each agent's last committed write, and the stamps of every committed
// write, to see whether anything was written between the crash and the read. no-torn-read and
// delivery both leave such a read unjudged. Only a torn read asks, so what it needs is gathered
// (one pass over the history) at the first question, not before.
class CrashedWrites {
  public:
    explicit CrashedWrites(const History& history) : history_(history) {}

    // The read's message is the one its writer was writing when it crashed inside the lock
    // (before the read, in lock order; no committed write produced that message), and nothing
    // was written between that crash and the read.
    bool explains(EventRef read);

  private:
    void gather();

    // A write before the read in the reader's own explicit section (same stamp, same agent).
    bool written_earlier_in_section(EventRef read) const;

    const History& history_;
    bool gathered_ = false;
    std::vector<std::uint64_t> last_write_;  // per agent position: highest writer_seq
    std::vector<std::uint64_t> crash_stamp_; // per agent position: its unreleased stamp, or 0
    std::vector<std::uint64_t> write_stamps_;
};

} // namespace ipch::check
