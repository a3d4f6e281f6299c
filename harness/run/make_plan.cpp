#include "ipch/mapping_layout.hpp"
#include "plan.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <unistd.h>

namespace ipch {

namespace {

// A wait_for polls, so its event count is unknown; the log grows past this if needed.
constexpr std::uint64_t wait_for_event_guess = 64;
// Initial log room per agent; the recorder doubles the file when it fills.
constexpr std::uint64_t max_initial_log_records = 1u << 16;

std::string object_name(const std::string& run_id, const char* role) {
    return "ipch-" + run_id + "-" + role;
}

// What an op's names refer to: the run's barriers and agents.
struct NameTable {
    std::vector<BarrierPlan> barriers;
    // An agent's instance name or a group name -> the agent ids it stands for.
    std::map<std::string, std::vector<std::uint32_t>> agents;
};

std::uint32_t barrier_index(NameTable& names, const OpSpec& spec) {
    for (std::size_t i = 0; i < names.barriers.size(); ++i)
        if (names.barriers[i].name == spec.text) return static_cast<std::uint32_t>(i);
    BarrierPlan barrier{spec.text, {}};
    std::set<std::uint32_t> ids;
    if (spec.groups.empty()) {
        for (const auto& [name, agent_ids] : names.agents)
            ids.insert(agent_ids.begin(), agent_ids.end());
    } else {
        for (const std::string& group : spec.groups)
            if (const auto it = names.agents.find(group); it != names.agents.end())
                ids.insert(it->second.begin(), it->second.end());
    }
    for (const std::uint32_t id : ids)
        barrier.participants.push_back(id - 1); // agent index = id - 1
    names.barriers.push_back(std::move(barrier));
    return static_cast<std::uint32_t>(names.barriers.size() - 1);
}

PlanOp to_plan_op(const OpSpec& spec, std::uint32_t& next_id, NameTable& names) {
    PlanOp op;
    static_cast<OpFields&>(op) = spec;
    op.id = next_id++;
    if (!op.is_repeat && op.kind == OpKind::barrier) op.barrier = barrier_index(names, spec);
    if (!op.is_repeat && op.kind == OpKind::wait_for) {
        std::set<std::uint32_t> ids;
        for (const std::string& name : spec.from)
            if (const auto it = names.agents.find(name); it != names.agents.end())
                ids.insert(it->second.begin(), it->second.end());
        op.from_ids.assign(ids.begin(), ids.end());
    }
    for (const OpSpec& child : spec.ops)
        op.ops.push_back(to_plan_op(child, next_id, names));
    return op;
}

// SplitMix64's finaliser: spreads a run's seed into one independent seed per agent.
std::uint64_t mix_seed(std::uint64_t seed, std::uint64_t agent_id) {
    std::uint64_t z = seed + agent_id * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// Saturating: a huge repeat must not wrap the estimate around to a small number.
std::uint64_t count_events(const std::vector<PlanOp>& ops) {
    std::uint64_t total = 0;
    for (const PlanOp& op : ops) {
        std::uint64_t n = 1;
        if (op.is_repeat) {
            const std::uint64_t inner = count_events(op.ops);
            n = inner > UINT64_MAX / std::max<std::uint64_t>(op.count, 1) ? UINT64_MAX
                                                                          : inner * op.count;
        } else if (op.kind == OpKind::wait_for) {
            n = wait_for_event_guess;
        }
        total = n > UINT64_MAX - total ? UINT64_MAX : total + n;
    }
    return total;
}

std::string format_duration(std::uint64_t ns) {
    struct Unit {
        std::uint64_t ns;
        const char* name;
    };
    constexpr Unit units[] = {
        {60'000'000'000, "m"}, {1'000'000'000, "s"}, {1'000'000, "ms"}, {1'000, "us"}};
    for (const Unit& unit : units)
        if (ns >= unit.ns && ns % unit.ns == 0) return std::to_string(ns / unit.ns) + unit.name;
    return std::to_string(ns) + "ns";
}

std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& word : words)
        out += (out.empty() ? "" : ", ") + word;
    return out;
}

void add_labels(const std::vector<PlanOp>& ops, std::vector<std::string>& labels) {
    for (const PlanOp& op : ops) {
        if (labels.size() <= op.id) labels.resize(op.id + 1);
        std::string& label = labels[op.id];
        if (op.is_repeat) {
            label = "#" + std::to_string(op.id) + " repeat " +
                    (op.count > 0 ? std::to_string(op.count) + "x"
                                  : "for " + format_duration(op.duration_ns));
            add_labels(op.ops, labels);
            continue;
        }
        label = std::string(to_string(op.kind));
        switch (op.kind) {
        case OpKind::write:
            label += op.size > 0 ? " " + std::to_string(op.size) + " bytes of " + quoted(op.pattern)
                                 : " " + quoted(op.text);
            break;
        case OpKind::read:
            if (op.expect_any_valid)
                label += " expect any-valid";
            else if (op.has_expect)
                label += " expect " + quoted(op.text);
            break;
        case OpKind::wait_for:
            label += (op.from.empty() ? " " + quoted(op.text) : " from " + join(op.from)) +
                     " within " + format_duration(op.duration_ns);
            break;
        case OpKind::hold:
            label += " " + format_duration(op.duration_ns);
            break;
        case OpKind::sleep:
            label += " " + format_duration(op.duration_ns);
            if (op.max_duration_ns > op.duration_ns)
                label += ".." + format_duration(op.max_duration_ns);
            break;
        case OpKind::timed_lock:
            label += " " + format_duration(op.duration_ns);
            break;
        case OpKind::open:
            label += " (" + std::string(to_string(op.open_mode)) + ")";
            break;
        case OpKind::barrier:
            label += " " + quoted(op.text);
            break;
        case OpKind::crash:
            label += " at " + std::string(to_string(op.crash_at));
            break;
        case OpKind::close:
        case OpKind::remove:
        case OpKind::increment:
        case OpKind::lock:
        case OpKind::unlock:
        case OpKind::try_lock:
            break;
        }
        label = "#" + std::to_string(op.id) + " " + label;
    }
}

} // namespace

Plan make_plan(const Scenario& scenario, const std::string& run_id,
               const std::filesystem::path& run_dir, std::uint64_t seed) {
    Plan plan;
    plan.run_id = run_id;
    plan.run_dir = run_dir;
    plan.mapping = scenario.mapping.name ? NamedObject{*scenario.mapping.name, true}
                                         : NamedObject{object_name(run_id, "map"), false};
    plan.mutex = scenario.mutex.name ? NamedObject{*scenario.mutex.name, true}
                                     : NamedObject{object_name(run_id, "mtx"), false};
    plan.control = NamedObject{object_name(run_id, "ctl"), false};
    plan.mapping_kind = scenario.mapping.kind;
    plan.mutex_kind = scenario.mutex.kind;
    plan.mapping_size = scenario.mapping.size;
    plan.lock_bytes = lock_bytes_for(scenario.mutex.kind);
    plan.reuse = scenario.reuse;
    plan.timeout_ns = scenario.timeout_ns;
    plan.seed = seed;

    std::uint32_t agent_count = 0;
    NameTable names;
    for (const AgentSpec& spec : scenario.agents) {
        for (const std::string& instance : instance_names(spec)) {
            const std::uint32_t id = ++agent_count;
            names.agents[spec.name].push_back(id);
            if (spec.count > 1) names.agents[instance].push_back(id);
        }
    }

    std::vector<std::vector<PlanOp>> group_ops;
    for (const AgentSpec& spec : scenario.agents) {
        std::vector<PlanOp> ops;
        std::uint32_t next_id = 1; // 0 is the agent's open, before its first op
        for (const OpSpec& op : spec.ops)
            ops.push_back(to_plan_op(op, next_id, names));
        group_ops.push_back(std::move(ops));
    }

    for (std::size_t group = 0; group < scenario.agents.size(); ++group) {
        const AgentSpec& spec = scenario.agents[group];
        const std::vector<PlanOp>& ops = group_ops[group];
        for (const std::string& instance : instance_names(spec)) {
            AgentPlan agent;
            agent.run_id = run_id;
            agent.agent_id = static_cast<std::uint32_t>(plan.agents.size()) + 1;
            agent.agent_index = agent.agent_id - 1;
            agent.group = spec.name;
            agent.role = spec.role;
            agent.agent_name = instance;
            agent.seed = mix_seed(seed, agent.agent_id);
            agent.mapping_kind = plan.mapping_kind;
            agent.mapping_name = plan.mapping.name;
            if (plan.mapping_kind == MappingKind::file)
                agent.mapping_path = mapping_file_name(plan.mapping.name);
            if (plan.mapping_kind == MappingKind::xsi)
                agent.mapping_key = xsi_key_for(plan.mapping.name);
            agent.mapping_size = plan.mapping_size;
            agent.lock_bytes = plan.lock_bytes;
            agent.open_mode = spec.open_mode;
            agent.mutex_kind = spec.mutex_kind.value_or(plan.mutex_kind);
            agent.mutex_name = plan.mutex.name;
            agent.permissions = scenario.permissions;
            agent.control_name = plan.control.name;
            agent.agent_count = agent_count;
            agent.start_timeout_ns = plan.timeout_ns;
            agent.barriers = names.barriers;
            agent.faults = spec.faults;
            // Beside the plan file. An external agent writes JSON lines; ipc-agent its binary log.
            agent.log_format = spec.command.empty() ? LogFormat::binary : LogFormat::jsonl;
            agent.log_path =
                agent.agent_name + (spec.command.empty() ? ".events" : ".events.jsonl");
            // +1 for the open; min() first, so a saturated count cannot wrap to 0.
            agent.log_capacity = std::min(count_events(ops), max_initial_log_records - 1) + 1;
            agent.ops = ops;
            plan.agents.push_back(std::move(agent));
            plan.commands.push_back(spec.command);
        }
    }
    return plan;
}

namespace {

// The run directory holds the plans, the event logs and a `file` mapping: the owner's alone
// whatever the umask (under 0277 it would lack the owner's write bit). Others get only the search
// bit, and only when the plan's permissions give them access to the objects, so that they can
// reach a widened file mapping by its name (and list and add nothing).
std::filesystem::perms run_dir_mode(const Plan& plan) {
    const std::uint32_t objects = plan.agents.empty() ? 0600 : plan.agents.front().permissions;
    std::uint32_t mode = 0700;
    if ((objects & 0070) != 0) mode |= 0010;
    if ((objects & 0007) != 0) mode |= 0001;
    return static_cast<std::filesystem::perms>(mode);
}

} // namespace

void write_plan_files(Plan& plan) {
    std::filesystem::create_directories(plan.run_dir);
    std::filesystem::permissions(plan.run_dir, run_dir_mode(plan));
    plan.plan_files.clear();
    for (const AgentPlan& agent : plan.agents) {
        const std::filesystem::path path = plan.run_dir / (agent.agent_name + ".plan.json");
        std::ofstream out(path);
        out << plan_to_json(agent);
        if (!out.flush())
            throw std::runtime_error("cannot write plan file '" + path.string() + "'");
        plan.plan_files.push_back(path);
    }
}

std::vector<std::string> op_labels(const AgentPlan& agent) {
    std::vector<std::string> labels{"#0 open (" + std::string(to_string(agent.open_mode)) + ")"};
    add_labels(agent.ops, labels);
    return labels;
}

} // namespace ipch
