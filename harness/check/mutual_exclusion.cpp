// mutual-exclusion: no two critical sections overlap. Four witnesses, each enough on its own:
// two sections whose lock intervals overlap in time, two that took the same stamp, stamps
// missing from the sequence (a lost increment), and the owner word seen busy or changed.
//
// A section a crash left unreleased (its holder died inside) took a stamp and held the lock from
// its acquire on; when the holder died, and so when a robust lock let the next holder in, is
// unknown. It is therefore indeterminate, never a violation by itself: it counts in the stamp
// sequence, another section that held the lock across its acquire overlaps it, and sections that
// acquire after it are not held against it. The detail names every such section.
#include "check/compact.hpp"
#include "check/detail.hpp"
#include "check/linearizability_history.hpp"
#include "check/lock_order_runs.hpp"

#include <algorithm>
#include <optional>
#include <span>
#include <vector>

namespace ipch::check {

namespace {

// A critical section copied out of its event, so that ordering moves one compact array instead
// of chasing events across mapped logs.
struct Section {
    std::uint64_t acquired;
    std::uint64_t released; // an unreleased section's is its acquire: all that is known it held
    std::uint64_t stamp;
    PackedRef ref; // bits: the event's unreleased, owner_busy and owner_changed flags
};

constexpr unsigned unreleased_bit = 1, owner_busy_bit = 2, owner_changed_bit = 4;

EventRef ref_of(const Section& section) {
    return unpack(section.ref);
}

bool unreleased(const Section& section) {
    return (section.ref.bits & unreleased_bit) != 0;
}

Section section_of(const EventRecord& event, std::size_t index, std::size_t agent) {
    const bool open = has_flag(event, event_flag::unreleased);
    const unsigned bits = (open ? unreleased_bit : 0) |
                          (has_flag(event, event_flag::owner_busy) ? owner_busy_bit : 0) |
                          (has_flag(event, event_flag::owner_changed) ? owner_changed_bit : 0);
    return Section{event.t_acquired, open ? event.t_acquired : event.t_released, event.stamp,
                   pack(agent, index, bits)};
}

bool by_acquired(const Section& x, const Section& y) {
    if (x.acquired != y.acquired) return x.acquired < y.acquired;
    // A section released at its own acquire (unreleased) goes after one acquired at the same
    // instant, which then overlaps it.
    if (unreleased(x) != unreleased(y)) return unreleased(y);
    if (x.released != y.released) return x.released < y.released;
    if (x.ref.agent != y.ref.agent) return x.ref.agent < y.ref.agent;
    return x.ref.index < y.ref.index;
}

bool by_stamp(const Section& x, const Section& y) {
    if (x.stamp != y.stamp) return x.stamp < y.stamp;
    return by_acquired(x, y);
}

std::string held(const Section& section) {
    if (unreleased(section))
        return "stamp " + std::to_string(section.stamp) + ", acquired at " +
               std::to_string(section.acquired) + " ns, never released: its agent crashed inside";
    return "stamp " + std::to_string(section.stamp) + ", held from " +
           std::to_string(section.acquired) + " to " + std::to_string(section.released) + " ns";
}

Evidence two_sections(const History& history, const Section& first, const Section& second,
                      std::string summary) {
    return Evidence{
        std::move(summary),
        {evidence_event(history, ref_of(first)), evidence_event(history, ref_of(second))}};
}

struct Counts {
    std::uint64_t overlaps = 0;
    std::uint64_t shared_stamps = 0;
    std::uint64_t stamp_gaps = 0;
    std::uint64_t explained_stamps = 0; // missing, but ops in flight of dead agents explain them
    std::uint64_t owner_conflicts = 0;
};

// Sections in acquire order (`at(i)` is the i-th); `holder` is the one that releases latest so
// far, so any section acquiring before that release overlaps it: one pass.
template <class At>
void find_overlaps(const History& history, std::size_t count, At at, const CheckOptions& options,
                   PropertyResult& result, Counts& counts) {
    std::size_t holder = 0;
    for (std::size_t i = 1; i < count; ++i) {
        const Section& earlier = at(holder);
        const Section& section = at(i);
        if (earlier.released > section.acquired &&
            earlier.released - section.acquired > options.tolerance_ns) {
            ++counts.overlaps;
            add_violation(result, options, [&] {
                // An unreleased section held the lock at least until the other released it.
                const bool open = unreleased(section);
                const std::uint64_t end =
                    open ? earlier.released : std::min(earlier.released, section.released);
                const std::uint64_t overlap = end > section.acquired ? end - section.acquired : 0;
                return two_sections(history, earlier, section,
                                    describe_op(history, ref_of(earlier)) + " (" + held(earlier) +
                                        ") and " + describe_op(history, ref_of(section)) + " (" +
                                        held(section) + ") held the lock at the same time for " +
                                        (open ? "at least " : "") + std::to_string(overlap) +
                                        " ns");
            });
        }
        if (section.released > earlier.released) holder = i;
    }
}

// The sections (in stamp order) in acquire order. Under a correct mutex the two are the same
// and this is one pass; else an index is sorted, its runs (stretches already in acquire order)
// merged, which costs little when few sections are out of place.
void find_overlaps(const History& history, std::span<const Section> sections,
                   const CheckOptions& options, PropertyResult& result, Counts& counts) {
    const auto acquired_less = [](const Section& x, const Section& y) { return by_acquired(x, y); };
    if (std::is_sorted(sections.begin(), sections.end(), acquired_less))
        return find_overlaps(
            history, sections.size(), [&](std::size_t i) -> const Section& { return sections[i]; },
            options, result, counts);
    std::vector<std::size_t> order(sections.size());
    std::vector<std::size_t> runs{0};
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
        if (i > 0 && by_acquired(sections[i], sections[i - 1])) runs.push_back(i);
    }
    runs.push_back(order.size());
    sort_runs(order, std::move(runs),
              [&](std::size_t x, std::size_t y) { return by_acquired(sections[x], sections[y]); });
    find_overlaps(
        history, order.size(), [&](std::size_t i) -> const Section& { return sections[order[i]]; },
        options, result, counts);
}

// Sections sorted by stamp: each section whose stamp equals its predecessor's took part in a
// lost increment of the counter, which only two sections inside at once can cause.
void find_shared_stamps(const History& history, std::span<const Section> sections,
                        const CheckOptions& options, PropertyResult& result, Counts& counts) {
    std::size_t first = 0; // the first section of the current run of equal stamps
    for (std::size_t i = 1; i < sections.size(); ++i) {
        if (sections[i].stamp != sections[first].stamp) {
            first = i;
            continue;
        }
        ++counts.shared_stamps;
        add_violation(result, options, [&] {
            return two_sections(history, sections[first], sections[i],
                                describe_op(history, ref_of(sections[first])) + " and " +
                                    describe_op(history, ref_of(sections[i])) +
                                    " both took stamp " + std::to_string(sections[i].stamp) +
                                    ": their increments of the lock-order counter overlapped");
        });
    }
}

std::uint64_t missing_stamps(std::span<const Section> sections) {
    std::uint64_t missing = 0;
    for (std::size_t i = 1; i < sections.size(); ++i)
        if (sections[i].stamp > sections[i - 1].stamp + 1)
            missing += sections[i].stamp - sections[i - 1].stamp - 1;
    return missing;
}

std::string stamp_range(std::uint64_t low, std::uint64_t high) {
    return low == high ? "stamp " + std::to_string(low)
                       : "stamps " + std::to_string(low) + ".." + std::to_string(high);
}

// A gap in the stamps is an increment no committed event accounts for. An agent that died with
// an op in flight may have taken one stamp without committing its event, so each such agent
// explains one missing stamp; beyond that every gap is a violation.
void find_gaps(const History& history, std::span<const Section> sections, std::uint64_t explainable,
               const CheckOptions& options, PropertyResult& result, Counts& counts) {
    const std::uint64_t missing = missing_stamps(sections);
    if (missing <= explainable) {
        counts.explained_stamps = missing;
        return;
    }
    for (std::size_t i = 1; i < sections.size(); ++i) {
        const Section& before = sections[i - 1];
        const Section& after = sections[i];
        if (after.stamp <= before.stamp + 1) continue;
        ++counts.stamp_gaps;
        add_violation(result, options, [&] {
            return two_sections(
                history, before, after,
                "no critical section holds " + stamp_range(before.stamp + 1, after.stamp - 1) +
                    ", between " + describe_op(history, ref_of(before)) + " (stamp " +
                    std::to_string(before.stamp) + ") and " + describe_op(history, ref_of(after)) +
                    " (stamp " + std::to_string(after.stamp) + "); " +
                    count_of(missing, "stamp is", "stamps are") +
                    " missing in all, ops in flight of agents that died explain at most " +
                    std::to_string(explainable));
        });
    }
}

// The owner word holds a run salt and the holder's agent id (low 16 bits).
std::uint32_t owner_agent(const History& history, const Section& section) {
    return event_at(history, ref_of(section)).owner_seen & 0xffffu;
}

// The section right before in stamp order was left unreleased by a crash, and the owner word
// held that agent's id (or the event kept no word at all): the dead holder's, not a live one.
bool after_unreleased(const History& history, const Section& before, const Section& section) {
    if (!unreleased(before) || section.stamp != before.stamp + 1) return false;
    const std::uint32_t holder = owner_agent(history, section);
    return holder == 0 || holder == history.agents[before.ref.agent].agent_id;
}

// The owner word: set by whoever is inside. Busy at acquire means someone else was still
// inside; changed at release means someone entered meanwhile. An agent that died inside leaves
// its id behind, so a busy word right after an unreleased section, or an explained missing
// stamp, is not held against the next holder; an unreleased section was never released, so
// its word at release says nothing.
void find_owner_conflicts(const History& history, std::span<const Section> sections,
                          std::uint64_t explainable, const CheckOptions& options,
                          PropertyResult& result, Counts& counts) {
    std::uint64_t excused = 0;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        const Section& section = sections[i];
        const bool dead_holder = i > 0 && after_unreleased(history, sections[i - 1], section);
        if ((section.ref.bits & owner_busy_bit) && !dead_holder) {
            const bool after_gap = i > 0 && section.stamp > sections[i - 1].stamp + 1;
            if (after_gap && counts.explained_stamps > 0 && excused < explainable) {
                ++excused;
            } else {
                ++counts.owner_conflicts;
                add_violation(result, options, [&] {
                    const std::uint32_t holder = owner_agent(history, section);
                    return Evidence{describe_op(history, ref_of(section)) +
                                        " found the owner word set when it acquired the lock "
                                        "(stamp " +
                                        std::to_string(section.stamp) + "): " +
                                        (holder != 0 ? agent_name(history, holder)
                                                     : std::string("another agent")) +
                                        " was still inside",
                                    {evidence_event(history, ref_of(section))}};
                });
            }
        }
        if ((section.ref.bits & owner_changed_bit) && !unreleased(section)) {
            ++counts.owner_conflicts;
            add_violation(result, options, [&] {
                return Evidence{describe_op(history, ref_of(section)) +
                                    " found the owner word changed when it released the lock "
                                    "(stamp " +
                                    std::to_string(section.stamp) +
                                    "): another agent entered while it was inside",
                                {evidence_event(history, ref_of(section))}};
            });
        }
    }
}

// "; 1 section left unreleased by a crash: bob at stamp 2", naming at most max_evidence of them;
// empty when there is none.
std::string unreleased_note(const History& history, std::span<const Section> sections,
                            const CheckOptions& options) {
    std::uint64_t count = 0;
    std::string names;
    for (const Section& section : sections) {
        if (!unreleased(section)) continue;
        if (++count > options.max_evidence) continue;
        if (!names.empty()) names += ", ";
        names +=
            history.agents[section.ref.agent].name + " at stamp " + std::to_string(section.stamp);
    }
    if (count == 0) return {};
    if (count > options.max_evidence)
        names += " and " + std::to_string(count - options.max_evidence) + " more";
    return "; " + count_of(count, "section", "sections") + " left unreleased by " +
           (count == 1 ? "a crash: " : "crashes: ") + names;
}

std::string failure_detail(const Counts& counts, std::size_t sections) {
    std::string detail;
    const auto part = [&](std::uint64_t count, const char* singular, const char* plural) {
        if (count == 0) return;
        if (!detail.empty()) detail += ", ";
        detail += count_of(count, singular, plural);
    };
    part(counts.overlaps, "overlap", "overlaps");
    part(counts.shared_stamps, "shared stamp", "shared stamps");
    part(counts.stamp_gaps, "gap in the stamps", "gaps in the stamps");
    part(counts.owner_conflicts, "owner-word conflict", "owner-word conflicts");
    return detail + " among " + count_of(sections, "critical section", "critical sections");
}

// "3 critical sections, stamps 1..3, no overlap", and how many missing stamps ops in flight of
// agents that died (or records lost from damaged logs) explain.
std::string passed_detail(std::uint64_t sections, std::uint64_t first_stamp,
                          std::uint64_t last_stamp, std::uint64_t explained) {
    std::string detail = count_of(sections, "critical section", "critical sections") + ", " +
                         stamp_range(first_stamp, last_stamp) + ", no overlap";
    if (explained > 0)
        detail += " (" + count_of(explained, "missing stamp", "missing stamps") +
                  " explained by ops in flight when agents died, or by records lost from damaged "
                  "event logs)";
    return detail;
}

// The sections, in stamp order. Under a correct mutex every section has a stamp of its own,
// one after another: each goes straight to its stamp's slot, so collecting them sorts them.
KeySlots<Section> collect_sections(const History& history) {
    // Sections of other agents with stamps below the first one collected.
    constexpr std::size_t lead = 1 << 16;
    KeySlots<Section> sections(event_count(history), lead);
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        std::optional<std::uint64_t> last_unreleased; // this agent's last section, if unreleased
        const auto& events = history.agents[a].events;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const EventRecord& event = events[i];
            if (!is_section(event)) continue;
            const bool open = has_flag(event, event_flag::unreleased);
            // One crash leaves one section: a second unreleased event of the same agent and
            // stamp (an op recorded inside it) is the same section.
            if (open && last_unreleased == event.stamp) continue;
            last_unreleased = open ? std::optional<std::uint64_t>(event.stamp) : std::nullopt;
            sections.add(event.stamp, section_of(event, i, a));
        }
    }
    return sections;
}

PropertyResult judge_sorted(const History& history, std::span<const Section> sections,
                            const CheckOptions& options) {
    const std::string id = "mutual-exclusion";
    if (sections.empty()) return not_applicable(id, "no critical sections");

    PropertyResult result;
    result.id = id;
    result.checked = sections.size();
    const std::uint64_t explainable = unrecorded_ops_bound(history);

    Counts counts;
    // Overlaps first: two intervals in time are the witness a reader believes most readily.
    find_overlaps(history, sections, options, result, counts);
    find_shared_stamps(history, sections, options, result, counts);
    find_gaps(history, sections, explainable, options, result, counts);
    find_owner_conflicts(history, sections, explainable, options, result, counts);

    const std::string note = unreleased_note(history, sections, options);
    if (result.violations > 0) {
        set_verdict(result, failure_detail(counts, sections.size()) + note);
        return result;
    }
    set_verdict(result, passed_detail(sections.size(), sections.front().stamp,
                                      sections.back().stamp, counts.explained_stamps) +
                            note);
    return result;
}

// What one pass in lock order settles: sections that come with a stamp of their own each,
// in acquire order too, none overlapping the one that held the lock before, with no owner-word
// conflict and none left unreleased: a pass. Anything else spoils it, and finish sorts copies
// of the sections and looks closer, evidence and all.
class MutualExclusionCheck final : public PropertyCheck {
  public:
    MutualExclusionCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        run_.tolerance_ns = options.tolerance_ns;
    }

    void scan(std::size_t, std::size_t, std::span<const EventRecord>) override {}

    bool wants_lock_order() const override { return true; }

    void join(LockOrderRuns& runs) override { runs.sections = &run_; }

    // Sections without a stamp (an external agent may omit it) leave only times: the whole
    // history is then judged by the mutex model (check/linearizability_property.cpp).
    void scanned(bool unstamped_sections) override { unstamped_ = unstamped_sections; }

    void replayed() override { replayed_ = true; }

    PropertyResult finish() override {
        if (unstamped_) return black_box_mutual_exclusion(history_, options_);
        const std::uint64_t explainable = unrecorded_ops_bound(history_);
        if (replayed_ && !run_.spoiled && run_.missing() <= explainable) {
            if (run_.count == 0) return not_applicable("mutual-exclusion", "no critical sections");
            PropertyResult result;
            result.id = "mutual-exclusion";
            result.checked = run_.count;
            set_verdict(result, passed_detail(run_.count, run_.first_stamp, run_.last_stamp,
                                              run_.missing()));
            return result;
        }
        KeySlots<Section> sections = collect_sections(history_);
        return judge_sorted(history_, sections.sorted([](const Section& x, const Section& y) {
            return by_stamp(x, y);
        }),
                            options_);
    }

  private:
    const History& history_;
    const CheckOptions& options_;
    bool unstamped_ = false;
    bool replayed_ = false;
    SectionRun run_; // the sections in lock order (check/lock_order_runs.hpp)
};

} // namespace

std::unique_ptr<PropertyCheck> mutual_exclusion(const History& history,
                                                const CheckOptions& options) {
    return std::make_unique<MutualExclusionCheck>(history, options);
}

} // namespace ipch::check
