// The agents: each one's name, count, open mode and ops, then the checks across agents
// (unique names, the total number of processes).
#include "scenario/read_values.hpp"
#include "scenario/readers.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string_view>
#include <unistd.h>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 8> agent_keys{"name",  "count",   "role",   "open",
                                                     "mutex", "command", "faults", "ops"};
constexpr std::array<OpenMode, 3> open_modes{OpenMode::create_only, OpenMode::create_or_open,
                                             OpenMode::open_existing};

// Agent names end up in file names, reports and trace tracks; keep them short and plain.
constexpr std::size_t max_agent_name_length = 64;
constexpr std::string_view agent_name_form = "characters of [A-Za-z0-9_-]";

// An agent as read, with what the checks across agents need.
struct AgentRead {
    AgentSpec spec;
    bool name_ok = false;
    SourcePos name_pos;
};

bool is_agent_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

std::optional<std::string> read_agent_name(const Field& field, Diagnostics& diag) {
    const std::optional<std::string> name = read_string(field, diag);
    if (!name) return std::nullopt;
    std::string problem;
    if (name->empty()) {
        problem = "agent name is empty; expected 1 to " + std::to_string(max_agent_name_length) +
                  " " + std::string(agent_name_form);
    } else if (name->size() > max_agent_name_length) {
        problem = "agent name is " + std::to_string(name->size()) +
                  " characters long; expected at most " + std::to_string(max_agent_name_length);
    } else if (auto bad = std::find_if_not(name->begin(), name->end(), is_agent_name_char);
               bad != name->end()) {
        problem = "agent name '" + shown(*name) + "' contains '" + shown_char(*bad) +
                  "'; expected only " + std::string(agent_name_form);
    }
    if (problem.empty()) return name;
    diag.error(field.pos, problem);
    return std::nullopt;
}

// A role is a label for people; keep it as plain as a name.
std::optional<std::string> read_role(const Field& field, Diagnostics& diag) {
    const std::optional<std::string> role = read_string(field, diag);
    if (!role) return std::nullopt;
    if (role->empty() || role->size() > max_agent_name_length ||
        std::find_if_not(role->begin(), role->end(), is_agent_name_char) != role->end()) {
        diag.error(field.pos, "role '" + shown(*role) + "' is not a plain word; expected 1 to " +
                                  std::to_string(max_agent_name_length) + " " +
                                  std::string(agent_name_form));
        return std::nullopt;
    }
    return role;
}

// Where a command's program is: a path with a '/' is taken from the scenario file's folder (or
// as it is, when absolute); a bare name is looked up in PATH. Empty when it is not found.
std::string resolve_program(const std::string& program, const std::string& scenario_path) {
    namespace fs = std::filesystem;
    const auto runnable = [](const fs::path& path) {
        std::error_code ec;
        return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
    };
    if (program.find('/') != std::string::npos) {
        fs::path path(program);
        if (path.is_relative()) path = fs::path(scenario_path).parent_path() / path;
        std::error_code ec;
        const fs::path absolute = fs::absolute(path, ec);
        return !ec && runnable(absolute) ? absolute.lexically_normal().string() : std::string();
    }
    const char* env_path = std::getenv("PATH");
    std::string_view dirs = env_path ? env_path : "/usr/local/bin:/usr/bin:/bin";
    while (!dirs.empty()) {
        const std::size_t colon = std::min(dirs.find(':'), dirs.size());
        const fs::path dir(std::string(dirs.substr(0, colon)));
        if (!dir.empty() && runnable(dir / program)) return (dir / program).string();
        dirs.remove_prefix(std::min(colon + 1, dirs.size()));
    }
    return {};
}

// An external agent's command: a non-empty list of strings, the first one a runnable program.
std::vector<std::string> read_command(const Field& field, const std::string& scenario_path,
                                      Diagnostics& diag) {
    if (!check_list(field, "a list such as [python3, agent.py]: the program, then its arguments",
                    diag))
        return {};
    if (field.node.size() == 0) {
        diag.error(field.pos, "command is empty; expected the program, then its arguments");
        return {};
    }
    std::vector<std::string> command;
    for (const YAML::Node& item : field.node) {
        const Field part{"a command argument", item, diag.pos(item)};
        const std::optional<std::string> text =
            command.empty() ? read_text(part, diag) : read_string(part, diag);
        if (!text) return {};
        if (command.empty()) {
            const std::string program = resolve_program(*text, scenario_path);
            if (program.empty()) {
                diag.error(part.pos,
                           "program '" + shown(*text) +
                               "' is not found or not executable; expected a program in PATH, "
                               "or a path (relative paths start from the scenario's folder)");
                return {};
            }
            command.push_back(program);
        } else {
            command.push_back(*text);
        }
    }
    return command;
}

// The agent's name as written, if it has a usable one: messages about the agent quote it.
std::string peek_name(const YAML::Node& agent) {
    for (auto it = agent.begin(); it != agent.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == "name" && it->second.IsScalar())
            return it->second.Scalar();
    return {};
}

AgentRead read_agent(const Field& field, const std::string& scenario_path, OpBudget& budget,
                     Diagnostics& diag) {
    AgentRead agent;
    agent.spec.pos = field.pos;
    if (!check_map(field, "a map with name, count, open and ops", diag)) return agent;
    const std::string name = peek_name(field.node);
    const std::string where = name.empty() ? "in an agent" : "in agent '" + shown(name) + "'";
    const MapReader map(field.node, agent_keys, where, diag);

    if (const auto name_field =
            map.require("name", "a name of 1 to " + std::to_string(max_agent_name_length) + " " +
                                    std::string(agent_name_form))) {
        agent.name_pos = name_field->pos;
        if (auto read = read_agent_name(*name_field, diag)) {
            agent.spec.name = *read;
            agent.name_ok = true;
        }
    }
    if (const auto count = map.find("count")) {
        agent.spec.count = static_cast<std::uint32_t>(
            read_integer(*count, 1, max_agents, diag).value_or(agent.spec.count));
    }
    if (const auto role = map.find("role")) agent.spec.role = read_role(*role, diag).value_or("");
    if (const auto mutex = map.find("mutex")) {
        agent.spec.mutex_pos = mutex->pos;
        agent.spec.mutex_kind = read_choice(*mutex, "mutex kind", all_mutex_kinds, diag);
    }
    if (const auto command = map.find("command"))
        agent.spec.command = read_command(*command, scenario_path, diag);
    if (const auto faults = map.find("faults")) {
        agent.spec.faults = read_faults(*faults, diag);
        // The faults are the built-in agent's; another program does what it does.
        if (map.find("command"))
            diag.error(faults->pos, "faults are injected by the built-in agent; agent '" +
                                        shown(name) +
                                        "' runs its own command; expected faults only in a group "
                                        "without command");
    }
    if (const auto open = map.find("open"))
        agent.spec.open_mode =
            read_choice(*open, "open mode", open_modes, diag).value_or(agent.spec.open_mode);
    if (const auto ops = map.require("ops", "a list of ops"))
        agent.spec.ops = read_ops(*ops, agent.spec.open_mode, budget, diag);
    return agent;
}

// Every process needs a name of its own: no two agents share a name, and no agent's name is
// one an earlier agent's count generates (an agent 'a' with count 2 runs as a-1 and a-2).
void check_names(const std::vector<AgentRead>& agents, Diagnostics& diag) {
    std::map<std::string, const AgentRead*> by_name;
    std::map<std::string, const AgentRead*> by_instance;
    for (const AgentRead& agent : agents) {
        if (!agent.name_ok) continue;
        const std::string& name = agent.spec.name;
        if (const auto first = by_name.find(name); first != by_name.end()) {
            diag.error(agent.name_pos, "duplicate agent name '" + name + "' (first at line " +
                                           std::to_string(first->second->name_pos.line) + ")");
            continue;
        }
        by_name.emplace(name, &agent);
        for (const std::string& instance : instance_names(agent.spec)) {
            const auto [other, added] = by_instance.emplace(instance, &agent);
            if (added) continue;
            diag.error(agent.name_pos,
                       "agent '" + name + "' and agent '" + other->second->spec.name + "' (line " +
                           std::to_string(other->second->name_pos.line) +
                           ") both run a process named '" + instance +
                           "'; expected unique names (an agent with a count above 1 runs as "
                           "name-1, name-2, ...)");
            break;
        }
    }
}

void check_total(const Field& field, const std::vector<AgentRead>& agents, Diagnostics& diag) {
    std::uint64_t total = 0;
    for (const AgentRead& agent : agents)
        total += agent.spec.count;
    if (total > max_agents)
        diag.error(field.pos, "the agents add up to " + std::to_string(total) +
                                  " processes; expected at most " + std::to_string(max_agents) +
                                  " in total");
}

} // namespace

std::vector<AgentSpec> read_agents(const Field& field, const std::string& scenario_path,
                                   OpBudget& budget, Diagnostics& diag) {
    if (!check_list(field, "a list of agents", diag)) return {};
    if (field.node.size() == 0) {
        diag.error(field.pos, "agents is empty; expected at least one agent");
        return {};
    }
    std::vector<AgentRead> agents;
    for (const YAML::Node& item : field.node)
        agents.push_back(
            read_agent(Field{"agent", item, diag.pos(item)}, scenario_path, budget, diag));
    check_names(agents, diag);
    check_total(field, agents, diag);

    std::vector<AgentSpec> specs;
    for (AgentRead& agent : agents)
        specs.push_back(std::move(agent.spec));
    return specs;
}

} // namespace ipch::scenario_detail

namespace ipch {

std::vector<std::string> instance_names(const AgentSpec& agent) {
    if (agent.count == 1) return {agent.name};
    std::vector<std::string> names;
    for (std::uint32_t i = 1; i <= agent.count; ++i)
        names.push_back(agent.name + "-" + std::to_string(i));
    return names;
}

} // namespace ipch
