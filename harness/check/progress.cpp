// progress: every agent finishes, and no op fails. How each agent ended comes from the
// supervisor; failed ops and damaged logs come from the history itself. What the scenario
// expects is no failure: a crash it expects (AgentHistory::expected_crash, or the agent's own
// crash op), an error it expects (AgentHistory::expected_errors), and an agent stopped by one.
#include "check/detail.hpp"
#include "error_names.hpp"

#include <algorithm>
#include <csignal>

namespace ipch::check {

namespace {

// An op that failed. Other outcomes are results, not failures: busy (a try_lock that found the
// lock taken), skipped (the section whose lock was not acquired), timeout (a timed_lock that
// gave up; a wait_for that gave up is delivery's failure, not progress's), mismatch (delivery's).
bool is_failed_op(const EventRecord& event) {
    return event.outcome == Outcome::error;
}

bool is_expected_error(const AgentHistory& agent, const EventRecord& event) {
    return is_failed_op(event) &&
           std::any_of(agent.expected_errors.begin(), agent.expected_errors.end(),
                       [&](const ExpectedOpError& expected) {
                           return expected.op == event.kind &&
                                  error_matches(expected.error, event.error);
                       });
}

// A crash op records its event, then SIGKILLs its agent: a history shows that death as its own
// even without the scenario's word for it.
bool killed_by_own_crash_op(const AgentHistory& agent) {
    return agent.end == AgentEnd::crashed && agent.signal == SIGKILL && !agent.events.empty() &&
           agent.events.back().kind == OpKind::crash;
}

bool crashed_as_expected(const AgentHistory& agent) {
    return agent.end == AgentEnd::crashed &&
           (agent.expected_crash || killed_by_own_crash_op(agent));
}

// An agent stops at the first op whose failure it cannot go past (the open before its first op,
// say); when that failure is one the scenario expects, so is the stop.
bool stopped_on_expected_error(const AgentHistory& agent) {
    return agent.end == AgentEnd::error_exit && !agent.events.empty() &&
           is_expected_error(agent, agent.events.back());
}

bool ended_well(const AgentHistory& agent) {
    return agent.end == AgentEnd::finished || crashed_as_expected(agent) ||
           stopped_on_expected_error(agent);
}

std::string last_event_text(const History& history, std::size_t position) {
    const AgentHistory& agent = history.agents[position];
    if (agent.events.empty()) return "it recorded no event";
    const EventRef ref{position, agent.events.size() - 1};
    const EventRecord& event = event_at(history, ref);
    std::string text = "its last event was " + describe_op(history, ref) + " (" +
                       std::string(to_string(event.outcome));
    if (event.outcome == Outcome::error) text += ": " + error_text(event.error);
    return text + ")";
}

// Where an agent that was stopped or died was, as the harness saw it: its last event says what
// it finished, not what it was doing (a hold, a wait for the lock) when it ended.
std::string where_it_was(const AgentHistory& agent) {
    if (!agent.released || agent.end == AgentEnd::finished || agent.end == AgentEnd::error_exit)
        return {};
    if (!*agent.released) return "; it had not yet passed the start barrier";
    if (agent.current_op == 0) return {};
    return "; it was in '" + op_label(agent, agent.current_op) + "'";
}

Evidence bad_end(const History& history, std::size_t position) {
    const AgentHistory& agent = history.agents[position];
    std::string summary = agent.name + " " + how_it_ended(agent);
    Evidence evidence;
    if (agent.end != AgentEnd::not_started) {
        summary += where_it_was(agent) + "; " + last_event_text(history, position);
        if (!agent.log_damage.empty()) summary += "; its event log: " + agent.log_damage;
    }
    if (!agent.events.empty())
        evidence.events.push_back(evidence_event(history, {position, agent.events.size() - 1}));
    evidence.summary = std::move(summary);
    return evidence;
}

// A log that lost records hides what the agent did, so even an agent that ended well cannot be
// shown to have made progress.
Evidence damaged_log(const History& history, std::size_t position) {
    const AgentHistory& agent = history.agents[position];
    Evidence evidence{agent.name + " " + how_it_ended(agent) + ", but its event log is damaged: " +
                          agent.log_damage + "; " + last_event_text(history, position),
                      {}};
    if (!agent.events.empty())
        evidence.events.push_back(evidence_event(history, {position, agent.events.size() - 1}));
    return evidence;
}

struct Counts {
    std::uint64_t bad_ends = 0;
    std::uint64_t expected_crashes = 0;
    std::uint64_t expected_stops = 0;
    std::uint64_t damaged_logs = 0;
    std::uint64_t failed_ops = 0;
    std::uint64_t expected_errors = 0;
};

std::string passed_detail(const Counts& counts, std::size_t agents) {
    std::string detail =
        count_of(agents - counts.expected_crashes - counts.expected_stops, "agent", "agents") +
        " finished";
    if (counts.expected_crashes > 0)
        detail += ", " + std::to_string(counts.expected_crashes) + " crashed as expected";
    if (counts.expected_stops > 0)
        detail += ", " + std::to_string(counts.expected_stops) + " stopped on an expected error";
    if (counts.expected_errors == 0) return detail + ", no op failed";
    return detail + ", no op failed unexpectedly (" +
           count_of(counts.expected_errors, "expected error", "expected errors") + ")";
}

std::string progress_detail(const Counts& counts, std::size_t agents) {
    if (counts.bad_ends == 0 && counts.damaged_logs == 0 && counts.failed_ops == 0)
        return passed_detail(counts, agents);
    std::string detail;
    const auto part = [&](const std::string& text) {
        if (!detail.empty()) detail += ", ";
        detail += text;
    };
    if (counts.bad_ends > 0)
        part(std::to_string(counts.bad_ends) + " of " + count_of(agents, "agent", "agents") +
             " did not finish");
    if (counts.damaged_logs > 0)
        part(count_of(counts.damaged_logs, "damaged event log", "damaged event logs"));
    if (counts.failed_ops > 0) part(count_of(counts.failed_ops, "failed op", "failed ops"));
    return detail;
}

// How each agent ended is judged first, as it is built (what a reader needs before its failed
// ops); the failed ops come with the events.
class ProgressCheck final : public PropertyCheck {
  public:
    ProgressCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        result_.id = "progress";
        result_.checked = history.agents.size();
        for (std::size_t a = 0; a < history.agents.size(); ++a)
            judge_end(a);
    }

    // Only failed ops are judged (is_failed_op).
    bool skips(const ChunkTraits& traits) const override { return !traits.errors; }

    void scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) override {
        for (std::size_t k = 0; k < events.size(); ++k)
            if (is_failed_op(events[k])) judge_failure(agent, first + k);
    }

    PropertyResult finish() override {
        set_verdict(result_, progress_detail(counts_, history_.agents.size()));
        return std::move(result_);
    }

  private:
    void judge_end(std::size_t a) {
        const AgentHistory& agent = history_.agents[a];
        if (!ended_well(agent)) {
            ++counts_.bad_ends;
            add_violation(result_, options_, [&] { return bad_end(history_, a); });
        } else if (!agent.log_damage.empty()) {
            ++counts_.damaged_logs;
            add_violation(result_, options_, [&] { return damaged_log(history_, a); });
        } else if (agent.end == AgentEnd::crashed) {
            ++counts_.expected_crashes;
        } else if (agent.end == AgentEnd::error_exit) {
            ++counts_.expected_stops;
        }
    }

    void judge_failure(std::size_t a, std::size_t i) {
        const EventRecord& event = history_.agents[a].events[i];
        if (is_expected_error(history_.agents[a], event)) {
            ++counts_.expected_errors;
            return;
        }
        ++counts_.failed_ops;
        add_violation(result_, options_, [&] {
            return Evidence{describe_op(history_, {a, i}) + " failed: " + error_text(event.error),
                            {evidence_event(history_, {a, i})}};
        });
    }

    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    Counts counts_;
};

} // namespace

std::unique_ptr<PropertyCheck> progress(const History& history, const CheckOptions& options) {
    return std::make_unique<ProgressCheck>(history, options);
}

} // namespace ipch::check
