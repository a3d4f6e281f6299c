// read-latest: a read returns the latest write before it in lock order. Lock order is the
// stamp order of critical sections; replaying them tracks which message the mapping must hold.
// The ops of one explicit lock..unlock section share its stamp and run in their agent's own
// order, so a read after a write in the same section must see that write, and a read before it
// what was there before.
#include "check/compact.hpp"
#include "check/detail.hpp"
#include "check/linearizability_history.hpp"

#include <algorithm>
#include <span>
#include <vector>

namespace ipch::check {

namespace {

// A write or an observation inside the lock: where it goes in lock order, and which event it is.
struct Step {
    std::uint64_t stamp;
    std::uint64_t acquired; // the same for every op of one explicit section: they go by index
    std::size_t agent;
    std::size_t index;
};

// Field by field, as a tuple's three-way comparison costs more where the stamp nearly always
// decides (every step of the replay is compared with the one before).
bool by_lock_order(const Step& x, const Step& y) {
    if (x.stamp != y.stamp) return x.stamp < y.stamp;
    if (x.acquired != y.acquired) return x.acquired < y.acquired;
    if (x.agent != y.agent) return x.agent < y.agent;
    return x.index < y.index;
}

bool is_checked_read(const EventRecord& event) {
    return has_flag(event, event_flag::observed) & !has_flag(event, event_flag::torn);
}

bool same_message(const EventRecord& x, const EventRecord& y) {
    return x.msg_writer == y.msg_writer && x.msg_writer_seq == y.msg_writer_seq &&
           x.msg_checksum == y.msg_checksum;
}

// Where the message the mapping must hold came from.
enum class Source { nothing_yet, write, initial_content, write_in_flight };

struct Latest {
    Source source = Source::nothing_yet;
    EventRef ref;                       // the write, or the read that first saw the content
    const EventRecord* event = nullptr; // and its event
};

// Per agent position: the highest writer_seq among its committed writes. A message of that
// writer with a higher sequence came from no committed write. Only a read that did not see the
// latest write asks, so the pass over the history that finds them waits for the first question.
class LastWrites {
  public:
    explicit LastWrites(const History& history) : history_(history) {}

    std::uint64_t of(std::size_t agent) {
        if (last_.empty()) gather();
        return last_[agent];
    }

  private:
    void gather() {
        last_.assign(history_.agents.size(), 0);
        for (std::size_t a = 0; a < history_.agents.size(); ++a)
            for (const EventRecord& event : history_.agents[a].events)
                if (is_committed_write(event)) last_[a] = std::max(last_[a], event.msg_writer_seq);
    }

    const History& history_;
    std::vector<std::uint64_t> last_;
};

// An observation no committed write produced, by an agent that died with an op in flight: that
// op was the write, and it is indeterminate, not wrong.
bool written_in_flight(const History& history, LastWrites& last_writes, const EventRecord& read) {
    const auto writer = agent_position(history, read.msg_writer);
    return writer && may_have_op_in_flight(history.agents[*writer]) &&
           read.msg_writer_seq > last_writes.of(*writer);
}

std::string what_it_should_have_seen(const History& history, const Latest& latest) {
    const EventRef ref = latest.ref;
    const EventRecord& event = *latest.event;
    const std::string stamp = " (stamp " + std::to_string(event.stamp) + ")";
    switch (latest.source) {
    case Source::write:
        return "the latest write before it in lock order was " + describe_op(history, ref) + stamp +
               ", which wrote " + describe_message(history, event);
    case Source::initial_content:
        return "the mapping held " + describe_message(history, event) +
               " with no write since, as " + describe_op(history, ref) + stamp + " saw";
    case Source::write_in_flight:
        return "the latest message in lock order was " + describe_message(history, event) +
               ", written by an op in flight when its writer died, as " +
               describe_op(history, ref) + stamp + " saw";
    case Source::nothing_yet:
        break;
    }
    return "nothing was known of the mapping";
}

Evidence stale_read(const History& history, EventRef read, const Latest& latest) {
    const EventRecord& event = event_at(history, read);
    Evidence evidence{describe_op(history, read) + " (stamp " + std::to_string(event.stamp) +
                          ") returned " + describe_message(history, event) + ", but " +
                          what_it_should_have_seen(history, latest),
                      {evidence_event(history, read)}};
    evidence.events.push_back(evidence_event(history, latest.ref));
    return evidence;
}

// Where each agent is: in an explicit section or not, and if so its stamp and the time that
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

// Replays the steps in lock order, tracking which message the mapping must hold.
class Replay {
  public:
    Replay(const History& history, const CheckOptions& options)
        : history_(history), options_(options), last_writes_(history) {
        result_.id = "read-latest";
    }

    void step(const Step& step, const EventRecord& event) {
        const EventRef ref{step.agent, step.index};
        if (is_committed_write(event)) {
            latest_ = Latest{Source::write, ref, &event};
            ++writes_;
            return;
        }
        ++result_.checked;
        if (latest_.source == Source::nothing_yet) {
            // Before any write the mapping may hold what an earlier run left (reuse: true).
            latest_ = Latest{Source::initial_content, ref, &event};
            return;
        }
        if (same_message(event, *latest_.event)) return;
        if (written_in_flight(history_, last_writes_, event)) {
            latest_ = Latest{Source::write_in_flight, ref, &event};
            return;
        }
        add_violation(result_, options_, [&] { return stale_read(history_, ref, latest_); });
    }

    PropertyResult result() {
        if (result_.checked == 0) return not_applicable(result_.id, "no reads inside the lock");
        const std::string among = count_of(result_.checked, "read", "reads") + " and " +
                                  count_of(writes_, "write", "writes") + " in lock order";
        set_verdict(result_, result_.violations == 0
                                 ? among + ", every read saw the latest write"
                                 : count_of(result_.violations, "stale read", "stale reads") +
                                       " among " + among);
        return std::move(result_);
    }

  private:
    const History& history_;
    const CheckOptions& options_;
    LastWrites last_writes_;
    PropertyResult result_;
    Latest latest_;
    std::uint64_t writes_ = 0;
};

// Steps in lock order come from the replay (LockOrder) as long as each is after the one before
// by_lock_order, which makes the replayed order the sorted one; else the steps are collected
// from the history and sorted at finish.
class ReadLatestCheck final : public PropertyCheck {
  public:
    ReadLatestCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options), sections_(history.agents.size()),
          replay_(history, options) {}

    void scan(std::size_t, std::size_t, std::span<const EventRecord>) override {}

    bool wants_lock_order() const override { return true; }

    void replay(std::span<const OrderedEvent> events) override {
        if (out_of_order_) return;
        // Locals, not members, in the loop: they stay in registers while the batch goes by.
        bool any = any_;
        Step previous = previous_;
        Step step{};
        for (const OrderedEvent& ordered : events) {
            // Neither a write nor a read, nor inside an explicit section (whose first op's
            // acquire orders the rest): nothing to follow, which step_of would find slower.
            constexpr std::uint32_t followed =
                event_flag::written | event_flag::observed | event_flag::in_section;
            if ((ordered.event->flags & followed) == 0) {
                sections_[ordered.agent].in_section = false;
                continue;
            }
            if (!step_of(*ordered.event, ordered.agent, ordered.index, sections_[ordered.agent],
                         step))
                continue;
            if (any && !by_lock_order(previous, step)) {
                out_of_order_ = true;
                return;
            }
            any = true;
            previous = step;
            replay_.step(step, *ordered.event);
        }
        any_ = any;
        previous_ = previous;
    }

    // Without stamps there is no lock order to replay: the whole history is then judged by the
    // register model (check/linearizability_property.cpp).
    void scanned(bool unstamped_sections) override { unstamped_ = unstamped_sections; }

    void replayed() override { replayed_ = true; }

    PropertyResult finish() override {
        if (unstamped_) return black_box_read_latest(history_, options_);
        if (replayed_ && !out_of_order_) return replay_.result();
        return sorted_replay();
    }

  private:
    // Other agents' steps with stamps below the first one collected.
    static constexpr std::size_t lead = 1 << 16;

    PropertyResult sorted_replay() const {
        KeySlots<Step> steps(event_count(history_), lead);
        for (std::size_t a = 0; a < history_.agents.size(); ++a) {
            SectionState state;
            const auto& events = history_.agents[a].events;
            Step step{};
            for (std::size_t i = 0; i < events.size(); ++i)
                if (in_lock_order(events[i]) && step_of(events[i], a, i, state, step))
                    steps.add(step.stamp, step);
        }
        Replay replay(history_, options_);
        for (const Step& step :
             steps.sorted([](const Step&x, const Step&y) { return by_lock_order(x, y); }))
            replay.step(step, history_.agents[step.agent].events[step.index]);
        return replay.result();
    }

    const History& history_;
    const CheckOptions& options_;
    std::vector<SectionState> sections_; // per agent position, as the replay goes
    Replay replay_;
    bool unstamped_ = false;
    bool replayed_ = false;
    bool out_of_order_ = false;
    bool any_ = false;
    Step previous_{};
};

} // namespace

std::unique_ptr<PropertyCheck> read_latest(const History& history, const CheckOptions& options) {
    return std::make_unique<ReadLatestCheck>(history, options);
}

} // namespace ipch::check
