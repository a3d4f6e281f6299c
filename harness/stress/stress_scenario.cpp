// A stress case as a scenario: the same pipeline as a scenario file, built in code.
#include "ipch/mapping_layout.hpp"
#include "stress/stress.hpp"

#include <algorithm>
#include <string>

namespace ipch::stress {

namespace {

// Room for the lock area, the mapping's header, the tail guard and some slack, past the payload;
// a whole number of pages.
std::uint64_t mapping_size_for(std::uint64_t payload_bytes) {
    constexpr std::uint64_t page = 4096;
    const std::uint64_t needed = in_mapping_lock_bytes + sizeof(MappingHeader) + 64 + payload_bytes;
    return std::max(page, (needed + page - 1) / page * page);
}

OpSpec leaf(OpKind kind) {
    OpSpec op;
    op.kind = kind;
    return op;
}

// One critical section: the write alone when nothing is held (one event per section, the least
// the agent can record), else lock, write, hold, unlock (the unlock's event is the section).
std::vector<OpSpec> section_ops(const StressConfig& config) {
    OpSpec write = leaf(OpKind::write);
    write.size = config.payload_bytes;
    write.pattern = "stress;"; // no template fields: nothing to expand per write
    if (config.hold_ns == 0) return {write};
    OpSpec hold = leaf(OpKind::hold);
    hold.duration_ns = config.hold_ns;
    return {leaf(OpKind::lock), write, hold, leaf(OpKind::unlock)};
}

OpSpec timed_repeat(std::uint64_t duration_ns, std::vector<OpSpec> ops) {
    OpSpec repeat;
    repeat.is_repeat = true;
    repeat.duration_ns = duration_ns;
    repeat.ops = std::move(ops);
    return repeat;
}

// How long a case may take before the run's timeout stops it: its planned time, a long hold's
// last round, and time to start and end the agents on a loaded machine.
std::uint64_t case_timeout_ns(const StressConfig& config) {
    return config.warmup_ns + config.duration_ns + 2 * config.hold_ns + 60'000'000'000;
}

} // namespace

Scenario stress_scenario(const StressConfig& config, const CaseKey& key) {
    Scenario scenario;
    scenario.path = "<stress>";
    scenario.name = "stress";
    scenario.case_name = "stress[backend=" + std::string(to_string(key.backend)) +
                         ",agents=" + std::to_string(key.agents) +
                         ",repeat=" + std::to_string(key.repeat) + "]";
    scenario.mapping.kind = config.mapping;
    scenario.mapping.size = mapping_size_for(config.payload_bytes);
    scenario.mutex.kind = key.backend;
    scenario.timeout_ns = case_timeout_ns(config);

    AgentSpec agent;
    agent.name = "agent";
    agent.count = key.agents;
    if (config.warmup_ns > 0)
        agent.ops.push_back(timed_repeat(config.warmup_ns, section_ops(config)));
    agent.ops.push_back(timed_repeat(config.duration_ns, section_ops(config)));
    scenario.agents.push_back(std::move(agent));
    return scenario;
}

namespace {

void collect_ids(const PlanOp& op, std::vector<std::uint32_t>& ids) {
    ids.push_back(op.id);
    for (const PlanOp& child : op.ops)
        collect_ids(child, ids);
}

} // namespace

std::vector<std::uint32_t> measured_op_ids(const AgentPlan& agent) {
    std::vector<std::uint32_t> ids;
    if (!agent.ops.empty()) collect_ids(agent.ops.back(), ids);
    return ids;
}

} // namespace ipch::stress
