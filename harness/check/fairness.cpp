// fairness: the lock is shared across the agents that ask for it, as the scenario demands.
//
// Two measures, each judged only when the scenario sets its limit (CheckOptions):
// - Jain's index of critical sections per agent (min_fairness): how evenly the lock was shared
//   overall. With fixed op counts every agent gets the same number of sections whatever the
//   lock does, so this index says little there; it matters for runs bounded by time.
// - overtakes (max_overtakes): for each critical section, how many sections of other agents
//   asked for the lock after it did and got it first. A FIFO lock never overtakes; a lock that
//   lets newcomers barge can starve a waiter. This is what starvation looks like in a history,
//   whatever the op counts. Lock order is the stamp order (acquire time without stamps); "asked
//   after" compares request times, which all agents take from CLOCK_MONOTONIC, with the
//   checker's tolerance.
#include "check/detail.hpp"
#include "metrics.hpp"

#include <cstdio>
#include <map>

namespace ipch::check {

namespace {

std::string index_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", value);
    return text;
}

// A critical section copied out of its event: lock order, request time, whose.
struct Section {
    std::uint64_t stamp;
    std::uint64_t acquired;
    std::uint64_t requested;
    std::uint32_t agent; // position in History::agents
    std::uint32_t index; // position in that agent's events
};

bool by_lock_order(const Section& x, const Section& y) {
    if (x.stamp != y.stamp) return x.stamp < y.stamp;
    return x.acquired < y.acquired;
}

std::vector<Section> collect_sections(const History& history, std::vector<std::size_t>& bounds) {
    std::vector<Section> sections;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        bounds.push_back(sections.size());
        const AgentHistory& agent = history.agents[a];
        if (!agent.shares_lock) continue;
        for (std::size_t i = 0; i < agent.events.size(); ++i) {
            const EventRecord& event = agent.events[i];
            if (!is_counted_section(event) || event.t_acquired < event.t_requested) continue;
            sections.push_back({event.stamp, event.t_acquired, event.t_requested,
                                static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(i)});
        }
    }
    bounds.push_back(sections.size());
    return sections;
}

// A Fenwick tree of counts over request-time ranks: how many sections earlier in lock order
// asked for the lock at or before a given time.
class RankCounts {
  public:
    explicit RankCounts(std::size_t size) : tree_(size + 1, 0) {}
    void add(std::size_t rank) {
        for (std::size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1))
            ++tree_[i];
    }
    // Counted ranks <= rank.
    std::uint64_t up_to(std::size_t rank) const {
        std::uint64_t sum = 0;
        for (std::size_t i = rank + 1; i > 0; i -= i & (~i + 1))
            sum += tree_[i];
        return sum;
    }

  private:
    std::vector<std::uint64_t> tree_;
};

// Per section (in lock order), how many sections before it in lock order asked for the lock more
// than `tolerance` after it did: O(n log n). An agent's own earlier sections asked before it (one
// process asks again only after it let go), so every one counted is another agent's.
std::vector<std::uint64_t> overtakes(const std::vector<Section>& sections,
                                     std::uint64_t tolerance) {
    std::vector<std::uint64_t> times(sections.size());
    for (std::size_t i = 0; i < sections.size(); ++i)
        times[i] = sections[i].requested;
    std::sort(times.begin(), times.end());
    const auto rank_of = [&](std::uint64_t time) {
        // The last rank at or below `time`: ranks above it asked later.
        return static_cast<std::size_t>(std::upper_bound(times.begin(), times.end(), time) -
                                        times.begin());
    };
    RankCounts counts(times.size());
    std::vector<std::uint64_t> result(sections.size());
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const std::size_t later = rank_of(sections[i].requested + tolerance); // first later rank
        result[i] = i - (later == 0 ? 0 : counts.up_to(later - 1));
        counts.add(rank_of(sections[i].requested) - 1);
    }
    return result;
}

// Who overtook the section at `position`, by agent, for its evidence: the same count as
// overtakes(), by a scan of every section before it in lock order (evidence is capped, so this
// runs a few times at most).
std::string overtakers(const History& history, const std::vector<Section>& sections,
                       std::size_t position, std::uint64_t tolerance) {
    const Section& waiter = sections[position];
    std::map<std::uint32_t, std::uint64_t> by_agent;
    for (std::size_t j = position; j-- > 0;) {
        if (sections[j].requested > waiter.requested + tolerance) ++by_agent[sections[j].agent];
    }
    std::string text;
    for (const auto& [agent, count] : by_agent)
        text +=
            (text.empty() ? "" : ", ") + history.agents[agent].name + " " + std::to_string(count);
    return text;
}

void check_overtakes(const History& history, const std::vector<Section>& sections,
                     std::uint64_t limit, const CheckOptions& options, PropertyResult& result,
                     std::uint64_t& worst) {
    const std::vector<std::uint64_t> counts = overtakes(sections, options.tolerance_ns);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        worst = std::max(worst, counts[i]);
        if (counts[i] <= limit) continue;
        add_violation(result, options, [&] {
            const Section& s = sections[i];
            const EventRef ref{s.agent, s.index};
            return Evidence{
                describe_op(history, ref) + " waited " + duration_text(s.acquired - s.requested) +
                    " for the lock and was overtaken " + std::to_string(counts[i]) + " times (" +
                    overtakers(history, sections, i, options.tolerance_ns) + "), at most " +
                    std::to_string(limit) + " allowed",
                {evidence_event(history, ref)}};
        });
    }
}

void check_jain(const History& history, const std::vector<std::uint64_t>& per_agent,
                const std::vector<std::size_t>& takers, double index, double limit,
                const CheckOptions& options, PropertyResult& result) {
    if (index >= limit) return;
    add_violation(result, options, [&] {
        std::string shares;
        std::size_t fewest = takers.front();
        for (const std::size_t a : takers) {
            shares += (shares.empty() ? "" : ", ") + history.agents[a].name + " " +
                      std::to_string(per_agent[a]);
            if (per_agent[a] < per_agent[fewest]) fewest = a;
        }
        Evidence evidence{"Jain's index " + index_text(index) +
                              " of critical sections per agent (" + shares + "), at least " +
                              index_text(limit) + " required",
                          {}};
        // The least served agent's first section, if it had one, names it in the report.
        const auto& events = history.agents[fewest].events;
        for (std::size_t i = 0; i < events.size(); ++i)
            if (is_counted_section(events[i])) {
                evidence.events.push_back(evidence_event(history, {fewest, i}));
                break;
            }
        return evidence;
    });
}

// `per_agent`: each agent's counted critical sections, in History::agents order.
PropertyResult judge(const History& history, const std::vector<std::uint64_t>& per_agent,
                     const CheckOptions& options) {
    PropertyResult result;
    result.id = "fairness";
    std::vector<std::size_t> takers;
    std::vector<std::uint64_t> taker_counts;
    for (std::size_t a = 0; a < history.agents.size(); ++a)
        if (history.agents[a].shares_lock) {
            takers.push_back(a);
            taker_counts.push_back(per_agent[a]);
        }
    const std::optional<double> index = jain_index(taker_counts);
    if (!index) return not_applicable(result.id, "no critical section was recorded");
    const std::string jain = "Jain's index " + index_text(*index) + " of " +
                             count_of(takers.size(), "agent's", "agents'") + " critical sections";
    if (!options.min_fairness && !options.max_overtakes)
        return not_applicable(result.id, jain + "; the scenario sets no min_fairness or " +
                                             "max_overtakes to judge it by");

    std::string detail = jain;
    if (options.min_fairness) {
        ++result.checked;
        check_jain(history, per_agent, takers, *index, *options.min_fairness, options, result);
        detail += " (at least " + index_text(*options.min_fairness) + " required)";
    }
    if (options.max_overtakes) {
        std::vector<std::size_t> bounds;
        std::vector<Section> sections = collect_sections(history, bounds);
        sort_runs(sections, std::move(bounds), by_lock_order);
        result.checked += sections.size();
        std::uint64_t worst = 0;
        check_overtakes(history, sections, *options.max_overtakes, options, result, worst);
        detail += "; a waiter overtaken at most " + std::to_string(worst) + " times (at most " +
                  std::to_string(*options.max_overtakes) + " allowed)";
    }
    set_verdict(result, detail);
    return result;
}

// Counts each agent's sections in the shared pass, while its events are in cache; the overtakes,
// asked for only when a scenario bounds them, take passes of their own at finish.
class FairnessCheck final : public PropertyCheck {
  public:
    FairnessCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options), per_agent_(history.agents.size(), 0) {}
    void scan(std::size_t agent, std::size_t, std::span<const EventRecord> events) override {
        std::uint64_t sections = 0;
        for (const EventRecord& event : events)
            sections += is_counted_section(event) ? 1 : 0;
        per_agent_[agent] += sections;
    }
    PropertyResult finish() override { return judge(history_, per_agent_, options_); }

  private:
    const History& history_;
    const CheckOptions& options_;
    std::vector<std::uint64_t> per_agent_;
};

} // namespace

std::unique_ptr<PropertyCheck> fairness(const History& history, const CheckOptions& options) {
    return std::make_unique<FairnessCheck>(history, options);
}

} // namespace ipch::check
