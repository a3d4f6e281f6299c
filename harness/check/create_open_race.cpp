// create-open-race: when several agents create-or-open the same objects at once, exactly one of
// them creates each, all of them open the same one, and what was created is zero-filled.
//
// Judged from each agent's first open event, whose flags say what that open did (created the
// mapping, created the named mutex, found a new mapping not zero-filled, was a create_or_open)
// and whose msg_checksum / computed_checksum name the objects it opened (docs/agent-protocol.md).
// The racers are the agents whose first open was a create_or_open; with fewer than two there is
// no race. A mapping that no first open created existed before the run (`reuse`): the history
// cannot tell it from a lost creation, so its creation is not judged; a new mapping means new
// objects, and then a named mutex must have had its creator too.
#include "check/detail.hpp"

namespace ipch::check {

namespace {

constexpr const char* id = "create-open-race";

std::string list_of(const History& history, const std::vector<EventRef>& refs) {
    std::string text;
    for (std::size_t k = 0; k < refs.size(); ++k) {
        if (k > 0) text += k + 1 == refs.size() ? " and " : ", ";
        text += describe_op(history, refs[k]);
    }
    return text;
}

Evidence evidence_of(const History& history, std::string summary,
                     const std::vector<EventRef>& refs) {
    Evidence evidence{std::move(summary), {}};
    for (const EventRef ref : refs)
        evidence.events.push_back(evidence_event(history, ref));
    return evidence;
}

// Each agent's first open event, if it has one.
std::vector<EventRef> first_opens(const History& history) {
    std::vector<EventRef> opens;
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const auto& events = history.agents[a].events;
        for (std::size_t k = 0; k < events.size(); ++k)
            if (events[k].kind == OpKind::open) {
                opens.push_back({a, k});
                break;
            }
    }
    return opens;
}

class Race {
  public:
    Race(const History& history, const CheckOptions& options)
        : history_(history), options_(options) {
        result_.id = id;
    }

    PropertyResult judge() {
        const std::vector<EventRef> opens = first_opens(history_);
        const std::vector<EventRef> racers = with_flag(opens, event_flag::create_or_open);
        if (racers.size() < 2)
            return not_applicable(id, "fewer than 2 agents create-or-opened (" +
                                          std::to_string(racers.size()) + "): no race");
        result_.checked = racers.size();
        std::vector<EventRef> opened;
        for (const EventRef ref : racers)
            if (event_at(history_, ref).outcome == Outcome::ok)
                opened.push_back(ref);
            else
                failed_open(ref);
        const auto mapping_creators = with_flag(opens, event_flag::created);
        const auto mutex_creators = with_flag(opens, event_flag::created_mutex);
        one_creator(mapping_creators, "mapping");
        one_creator(mutex_creators, "mutex");
        if (mapping_creators.size() == 1 && mutex_creators.empty()) lost_mutex_creation(opened);
        same_object(opened, "mapping", [](const EventRecord& e) { return e.msg_checksum; });
        same_object(opened, "mutex", [](const EventRecord& e) { return e.computed_checksum; });
        for (const EventRef ref : mapping_creators)
            if (has_flag(event_at(history_, ref), event_flag::not_zero))
                add_violation(result_, options_, [&] {
                    return evidence_of(history_,
                                       describe_op(history_, ref) +
                                           " created the mapping and found it not zero-filled",
                                       {ref});
                });
        set_verdict(result_, detail(racers.size(), mapping_creators, mutex_creators));
        return std::move(result_);
    }

  private:
    // The opens whose event carries `flag`.
    std::vector<EventRef> with_flag(const std::vector<EventRef>& opens, std::uint32_t flag) const {
        std::vector<EventRef> found;
        for (const EventRef ref : opens)
            if (has_flag(event_at(history_, ref), flag)) found.push_back(ref);
        return found;
    }

    void failed_open(EventRef ref) {
        add_violation(result_, options_, [&] {
            return evidence_of(history_,
                               describe_op(history_, ref) +
                                   " could not open: " + error_text(event_at(history_, ref).error),
                               {ref});
        });
    }

    void one_creator(const std::vector<EventRef>& found, const char* object) {
        if (found.size() <= 1) return;
        add_violation(result_, options_, [&] {
            return evidence_of(history_,
                               std::to_string(found.size()) + " agents created the " + object +
                                   ": " + list_of(history_, found),
                               found);
        });
    }

    // A new mapping means the run's objects were new: a named mutex that every racer found
    // (its identity recorded) must have been created by one of them.
    void lost_mutex_creation(const std::vector<EventRef>& opened) {
        std::vector<EventRef> named;
        for (const EventRef ref : opened)
            if (event_at(history_, ref).computed_checksum != 0) named.push_back(ref);
        if (named.empty()) return; // no named object: nothing to create
        add_violation(result_, options_, [&] {
            return evidence_of(history_,
                               "the mapping was new, yet no agent created the mutex: " +
                                   list_of(history_, named) + " found it",
                               named);
        });
    }

    // Every racer's open names the same object; a 0 names none (a mutex kind without a named
    // object, or an agent that does not record it) and is not compared.
    template <class IdentityOf>
    void same_object(const std::vector<EventRef>& opened, const char* object,
                     IdentityOf identity_of) {
        std::optional<EventRef> first;
        for (const EventRef ref : opened) {
            const std::uint64_t identity = identity_of(event_at(history_, ref));
            if (identity == 0) continue;
            if (!first) {
                first = ref;
                continue;
            }
            const std::uint64_t expected = identity_of(event_at(history_, *first));
            if (identity == expected) continue;
            add_violation(result_, options_, [&] {
                return evidence_of(history_,
                                   describe_op(history_, ref) + " opened " + object + " object " +
                                       std::to_string(identity) + ", " +
                                       describe_op(history_, *first) + " object " +
                                       std::to_string(expected),
                                   {ref, *first});
            });
        }
    }

    std::string creator_text(const std::vector<EventRef>& found, const char* object) const {
        if (found.empty()) return "none created the " + std::string(object) + " (it existed)";
        return history_.agents[found.front().agent].name + " created the " + object;
    }

    std::string detail(std::size_t racers, const std::vector<EventRef>& mapping_creators,
                       const std::vector<EventRef>& mutex_creators) const {
        std::string text = std::to_string(racers) + " agents create-or-opened at once";
        if (result_.violations > 0)
            return text + ": " + count_of(result_.violations, "violation", "violations");
        text += ": " + creator_text(mapping_creators, "mapping");
        if (!mutex_creators.empty()) text += ", " + creator_text(mutex_creators, "mutex");
        return text + "; every one opened the same objects" +
               (mapping_creators.empty() ? "" : ", and the new mapping was zero-filled");
    }

    const History& history_;
    const CheckOptions& options_;
    PropertyResult result_;
};

PropertyResult check_race(const History& history, const CheckOptions& options) {
    return Race(history, options).judge();
}

} // namespace

std::unique_ptr<PropertyCheck> create_open_race(const History& history,
                                                const CheckOptions& options) {
    return whole_history<check_race>(history, options);
}

} // namespace ipch::check
