// open-missing: opening a name that does not exist, in open_existing mode, fails clearly (`not
// found`, ENOENT) and creates nothing. Applicable when such an open happened: an open that
// recorded `not found`, or an open_existing that recorded creating an object. Judged on the
// opens' events and on the run's objects after every agent ended: an object the run created may
// exist then only if an open that may create (create_only, create_or_open) succeeded; when the
// only opens that succeeded were open_existing ones, one of them made it. An open's mode comes
// from its agent's plan (AgentHistory::open_existing_ops); without it, every successful open is
// taken as one that may create.
#include "check/detail.hpp"
#include "check/objects.hpp"

#include <algorithm>
#include <cerrno>

namespace ipch::check {

namespace {

// This open created the mapping or the mutex's object.
constexpr std::uint32_t created_flags = event_flag::created | event_flag::created_mutex;

bool in_open_existing_mode(const AgentHistory& agent, const EventRecord& event) {
    const auto& ids = agent.open_existing_ops;
    return std::find(ids.begin(), ids.end(), event.op_id) != ids.end();
}

class OpenMissingCheck final : public PropertyCheck {
  public:
    OpenMissingCheck(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        result_.id = "open-missing";
    }

    // Only opens are judged.
    bool skips(const ChunkTraits& traits) const override { return !traits.has(OpKind::open); }

    void scan(std::size_t agent, std::size_t first, std::span<const EventRecord> events) override {
        for (std::size_t k = 0; k < events.size(); ++k)
            if (events[k].kind == OpKind::open)
                judge(history_.agents[agent], events[k], {agent, first + k});
    }

    PropertyResult finish() override {
        if (result_.checked == 0) return not_applicable(result_.id, "no open of a missing name");
        judge_objects();
        set_verdict(result_, result_.violations == 0
                                 ? count_of(not_found_, "open", "opens") +
                                       " of a missing name recorded not found; " + objects_text()
                                 : count_of(result_.violations, "violation", "violations") +
                                       " among " +
                                       count_of(result_.checked, "open of a missing name",
                                                "opens of a missing name"));
        return std::move(result_);
    }

  private:
    void judge(const AgentHistory& agent, const EventRecord& event, EventRef ref) {
        const bool open_existing = in_open_existing_mode(agent, event);
        if (event.outcome == Outcome::error && event.error == ENOENT) {
            count(ref);
            ++not_found_;
        } else if (open_existing && event.outcome == Outcome::ok &&
                   has_flag(event, created_flags)) {
            count(ref);
            add_violation(result_, options_, [&] {
                return Evidence{describe_op(history_, ref) +
                                    " found nothing, yet succeeded and created the object",
                                {evidence_event(history_, ref)}};
            });
        } else if (!open_existing && event.outcome == Outcome::ok) {
            may_have_created_ = true;
        }
    }

    void count(EventRef ref) {
        if (result_.checked++ == 0) first_ = ref;
    }

    // Objects of the run that exist after it though nothing that may create succeeded.
    void judge_objects() {
        if (may_have_created_) return;
        for (const ObjectObservation& object : history_.objects) {
            if (!object.created_by_run || !object.exists_after) continue;
            add_violation(result_, options_, [&] {
                return Evidence{describe_object(object) +
                                    " exists after the run, though no open that may create "
                                    "succeeded (after " +
                                    describe_op(history_, first_) + ")",
                                {evidence_event(history_, first_)}};
            });
        }
    }

    std::string objects_text() const {
        if (history_.objects.empty()) return "the objects were not observed after the run";
        if (may_have_created_) return "an open that may create succeeded too";
        return "nothing of the run's left after it";
    }

    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
    std::uint64_t not_found_ = 0;
    bool may_have_created_ = false;
    EventRef first_{};
};

} // namespace

std::unique_ptr<PropertyCheck> open_missing(const History& history, const CheckOptions& options) {
    return std::make_unique<OpenMissingCheck>(history, options);
}

} // namespace ipch::check
