// Names one agent's ops use for others: wait_for's `from` (agents or groups whose message to
// wait for) and barriers (which groups meet). A wrong one would make an agent wait for someone
// who never comes, so each is checked against the whole scenario once every agent is read.
#include "scenario/readers.hpp"
#include "scenario/word_lists.hpp"

#include <algorithm>
#include <map>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

struct BarrierUse {
    const OpSpec* op;
    std::size_t group; // index into scenario.agents
};

// Every barrier op and wait_for op of the scenario, with the group whose ops hold it.
struct Uses {
    std::map<std::string, std::vector<BarrierUse>> barriers; // in file order per name
    std::vector<BarrierUse> waits;
};

void collect(const std::vector<OpSpec>& ops, std::size_t group, Uses& uses) {
    for (const OpSpec& op : ops) {
        if (op.is_repeat)
            collect(op.ops, group, uses);
        else if (op.kind == OpKind::barrier && !op.text.empty())
            uses.barriers[op.text].push_back({&op, group});
        else if (op.kind == OpKind::wait_for && !op.from.empty())
            uses.waits.push_back({&op, group});
    }
}

// The names an agent may be called by: each group's, and name-1..name-N for a group of N > 1.
struct AgentNames {
    std::vector<std::string> storage;
    std::vector<std::string_view> groups;
    std::vector<std::string_view> all;
    std::string listed; // for messages: "a, b, c-1..c-3"

    explicit AgentNames(const Scenario& scenario) {
        for (const AgentSpec& agent : scenario.agents) {
            storage.push_back(agent.name);
            for (std::uint32_t i = 1; agent.count > 1 && i <= agent.count; ++i)
                storage.push_back(agent.name + "-" + std::to_string(i));
        }
        all.assign(storage.begin(), storage.end());
        std::vector<std::string> parts;
        for (const AgentSpec& agent : scenario.agents) {
            groups.push_back(agent.name);
            parts.push_back(agent.name);
        }
        for (const AgentSpec& agent : scenario.agents)
            if (agent.count > 1)
                parts.push_back(agent.name + "-1.." + agent.name + "-" +
                                std::to_string(agent.count));
        for (const std::string& part : parts)
            listed += (listed.empty() ? "" : ", ") + part;
    }

    bool has(std::string_view name) const {
        return std::find(all.begin(), all.end(), name) != all.end();
    }
    bool is_group(std::string_view name) const {
        return std::find(groups.begin(), groups.end(), name) != groups.end();
    }
};

std::string did_you_mean(std::string_view word, std::span<const std::string_view> choices) {
    const std::string_view close = closest_word(word, choices);
    return close.empty() ? "" : " (did you mean '" + std::string(close) + "'?)";
}

void check_waits(const Uses& uses, const AgentNames& names, Diagnostics& diag) {
    for (const BarrierUse& wait : uses.waits)
        for (const std::string& name : wait.op->from)
            if (!names.has(name))
                diag.error(wait.op->pos, "unknown agent or group '" + shown(name) +
                                             "' in wait_for from" + did_you_mean(name, names.all) +
                                             "; expected one of: " + names.listed);
}

std::vector<std::string> sorted(std::vector<std::string> words) {
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
}

std::string who_meets(const std::vector<std::string>& groups) {
    if (groups.empty()) return "every agent";
    std::string out = groups.size() == 1 ? "group " : "groups ";
    for (std::size_t i = 0; i < groups.size(); ++i)
        out += (i == 0 ? "" : ", ") + groups[i];
    return out;
}

// The groups that meet at a barrier, as its first use states them (empty: every group).
std::vector<std::size_t> participants(const OpSpec& first, const Scenario& scenario) {
    std::vector<std::size_t> groups;
    for (std::size_t g = 0; g < scenario.agents.size(); ++g)
        if (first.groups.empty() || std::find(first.groups.begin(), first.groups.end(),
                                              scenario.agents[g].name) != first.groups.end())
            groups.push_back(g);
    return groups;
}

// A group that should use the barrier `name` but does not: the barrier it does use with the
// closest name is probably this one misspelled.
std::string misspelled_hint(const std::string& name, std::size_t group, const Uses& uses) {
    std::vector<std::string_view> own;
    for (const auto& [other, list] : uses.barriers)
        for (const BarrierUse& use : list)
            if (use.group == group && other != name) own.push_back(other);
    const std::string_view close = closest_word(name, own);
    if (close.empty()) return "";
    const BarrierUse& use = uses.barriers.at(std::string(close)).front();
    return " (is its barrier '" + std::string(close) + "' at line " +
           std::to_string(use.op->pos.line) + " a misspelling?)";
}

void check_barrier(const std::string& name, const std::vector<BarrierUse>& list,
                   const Scenario& scenario, const AgentNames& names, const Uses& uses,
                   Diagnostics& diag) {
    const OpSpec& first = *list.front().op;
    const std::vector<std::string> groups = sorted(first.groups);
    bool groups_known = true;
    for (const std::string& group : groups) {
        if (names.is_group(group)) continue;
        groups_known = false;
        if (names.has(group))
            diag.error(first.pos,
                       "barrier '" + name + "' lists agent '" + group +
                           "', not a group; expected group names: " + join_words(names.groups) +
                           " (a barrier is for whole groups)");
        else
            diag.error(first.pos, "unknown group '" + shown(group) + "' in barrier '" + name + "'" +
                                      did_you_mean(group, names.groups) +
                                      "; expected one of: " + join_words(names.groups));
    }
    // Who takes part is unclear until every group is known: the messages below would guess.
    if (!groups_known) return;
    const std::vector<std::size_t> meeting = participants(first, scenario);
    for (const BarrierUse& use : list) {
        const std::string& user = scenario.agents[use.group].name;
        if (sorted(use.op->groups) != groups) {
            diag.error(use.op->pos, "barrier '" + name + "' is for " +
                                        who_meets(sorted(use.op->groups)) + " here but for " +
                                        who_meets(groups) + " at line " +
                                        std::to_string(first.pos.line) +
                                        "; expected the same groups at every use of a barrier");
        } else if (std::find(meeting.begin(), meeting.end(), use.group) == meeting.end()) {
            diag.error(use.op->pos, "group '" + user + "' uses barrier '" + name +
                                        "', which is for " + who_meets(groups) + "; expected '" +
                                        user + "' among its groups");
        }
    }
    for (const std::size_t group : meeting) {
        const auto uses_it = [&](const BarrierUse& use) { return use.group == group; };
        if (std::any_of(list.begin(), list.end(), uses_it)) continue;
        const AgentSpec& agent = scenario.agents[group];
        diag.error(agent.pos, "group '" + agent.name + "' takes part in barrier '" + name +
                                  "' (line " + std::to_string(first.pos.line) +
                                  ") but never reaches it" + misspelled_hint(name, group, uses) +
                                  "; expected a barrier '" + name + "' among its ops, or " +
                                  "groups that leave '" + agent.name + "' out");
    }
}

} // namespace

// A repeat by duration runs as many rounds as fit in its time, a different number for each
// agent: a barrier inside one would be met unevenly and break.
void check_timed_barriers(const std::vector<OpSpec>& ops, const OpSpec* timed, Diagnostics& diag) {
    for (const OpSpec& op : ops) {
        if (op.is_repeat) {
            check_timed_barriers(op.ops, timed != nullptr ? timed : (op.count == 0 ? &op : nullptr),
                                 diag);
        } else if (op.kind == OpKind::barrier && timed != nullptr) {
            diag.error(op.pos, "barrier '" + op.text + "' inside the repeat by duration at line " +
                                   std::to_string(timed->pos.line) +
                                   "; expected it in a repeat with a count (agents repeat for a "
                                   "time a different number of times, so the barrier would "
                                   "break)");
        }
    }
}

void check_references(const Scenario& scenario, Diagnostics& diag) {
    for (const AgentSpec& agent : scenario.agents)
        check_timed_barriers(agent.ops, nullptr, diag);
    // A group whose name could not be read would make every reference to it look wrong.
    for (const AgentSpec& agent : scenario.agents)
        if (agent.name.empty()) return;
    Uses uses;
    for (std::size_t group = 0; group < scenario.agents.size(); ++group)
        collect(scenario.agents[group].ops, group, uses);
    const AgentNames names(scenario);
    check_waits(uses, names, diag);
    for (const auto& [name, list] : uses.barriers)
        check_barrier(name, list, scenario, names, uses, diag);
}

} // namespace ipch::scenario_detail
