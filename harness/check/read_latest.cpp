// read-latest: a read returns the latest write before it in lock order. Lock order is the
// stamp order of critical sections; replaying them tracks which message the mapping must hold.
// The ops of one explicit lock..unlock section share its stamp and run in their agent's own
// order, so a read after a write in the same section must see that write, and a read before it
// what was there before.
#include "check/compact.hpp"
#include "check/detail.hpp"
#include "check/linearizability_history.hpp"
#include "check/lock_order_runs.hpp"

#include <algorithm>
#include <span>
#include <vector>

namespace ipch::check {

namespace {

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
    const EventRef ref = ref_of(history, latest.agent, latest.event);
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
    evidence.events.push_back(evidence_event(history, ref_of(history, latest.agent, latest.event)));
    return evidence;
}

// Judges the reads that did not return the latest message, and what the run found in the end.
class Judge final : public StaleReads {
  public:
    Judge(const History& history, const CheckOptions& options)
        : history_(history), options_(options), last_writes_(history) {
        result_.id = "read-latest";
    }

    void judge(Latest& latest, std::size_t agent, const EventRecord& event) override {
        if (written_in_flight(history_, last_writes_, event)) {
            latest = Latest{Source::write_in_flight, agent, &event};
            return;
        }
        const EventRef read = ref_of(history_, agent, &event);
        add_violation(result_, options_, [&] { return stale_read(history_, read, latest); });
    }

    PropertyResult result(const StepRun& run) {
        result_.checked = run.reads;
        if (result_.checked == 0) return not_applicable(result_.id, "no reads inside the lock");
        const std::string among = count_of(result_.checked, "read", "reads") + " and " +
                                  count_of(run.writes, "write", "writes") + " in lock order";
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
};

// Steps in lock order come from the replay (LockOrder) as long as each is after the one before
// by_lock_order, which makes the replayed order the sorted one; else the steps are collected
// from the history and sorted at finish.
class ReadLatestCheck final : public PropertyCheck {
  public:
    ReadLatestCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options), judge_(history, options) {
        run_.stale = &judge_;
    }

    void scan(std::size_t, std::size_t, std::span<const EventRecord>) override {}

    bool wants_lock_order() const override { return true; }

    void join(LockOrderRuns& runs) override { runs.steps = &run_; }

    // Without stamps there is no lock order to replay: the whole history is then judged by the
    // register model (check/linearizability_property.cpp).
    void scanned(bool unstamped_sections) override { unstamped_ = unstamped_sections; }

    void replayed() override { replayed_ = true; }

    PropertyResult finish() override {
        if (unstamped_) return black_box_read_latest(history_, options_);
        if (replayed_ && !run_.out_of_order) return judge_.result(run_);
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
        Judge judge(history_, options_);
        StepRun run;
        run.stale = &judge;
        for (const Step& step :
             steps.sorted([](const Step&x, const Step&y) { return by_lock_order(x, y); }))
            run.step(step.agent, history_.agents[step.agent].events[step.index]);
        return judge.result(run);
    }

    const History& history_;
    const CheckOptions& options_;
    Judge judge_;
    StepRun run_; // the steps in lock order (check/lock_order_runs.hpp)
    bool unstamped_ = false;
    bool replayed_ = false;
};

} // namespace

std::unique_ptr<PropertyCheck> read_latest(const History& history, const CheckOptions& options) {
    return std::make_unique<ReadLatestCheck>(history, options);
}

} // namespace ipch::check
