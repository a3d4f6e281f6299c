#include "agent_runs.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>

namespace ipch::test {

namespace {

OpSpec with_duration(OpKind kind, std::uint64_t ns) {
    OpSpec spec = op(kind);
    spec.duration_ns = ns;
    return spec;
}

} // namespace

OpSpec op(OpKind kind) {
    OpSpec spec;
    spec.kind = kind;
    return spec;
}

OpSpec write_op(std::string text) {
    OpSpec spec = op(OpKind::write);
    spec.text = std::move(text);
    return spec;
}

OpSpec write_sized(std::uint64_t size, std::string pattern) {
    OpSpec spec = op(OpKind::write);
    spec.size = size;
    spec.pattern = std::move(pattern);
    return spec;
}

OpSpec read_op() {
    return op(OpKind::read);
}

OpSpec read_expecting(std::string text) {
    OpSpec spec = op(OpKind::read);
    spec.text = std::move(text);
    spec.has_expect = true;
    return spec;
}

OpSpec open_op(OpenMode mode) {
    OpSpec spec = op(OpKind::open);
    spec.open_mode = mode;
    return spec;
}

OpSpec hold_op(std::uint64_t ns) {
    return with_duration(OpKind::hold, ns);
}

OpSpec sleep_op(std::uint64_t min_ns, std::uint64_t max_ns) {
    OpSpec spec = with_duration(OpKind::sleep, min_ns);
    spec.max_duration_ns = max_ns;
    return spec;
}

OpSpec timed_lock_op(std::uint64_t timeout_ns) {
    return with_duration(OpKind::timed_lock, timeout_ns);
}

OpSpec barrier_op(std::string name) {
    OpSpec spec = op(OpKind::barrier);
    spec.text = std::move(name);
    return spec;
}

OpSpec crash_op(CrashPoint at) {
    OpSpec spec = op(OpKind::crash);
    spec.crash_at = at;
    return spec;
}

OpSpec repeat_op(std::uint64_t count, std::vector<OpSpec> ops) {
    OpSpec spec;
    spec.is_repeat = true;
    spec.count = count;
    spec.ops = std::move(ops);
    return spec;
}

OpSpec repeat_for(std::uint64_t duration_ns, std::vector<OpSpec> ops) {
    OpSpec spec = repeat_op(0, std::move(ops));
    spec.duration_ns = duration_ns;
    return spec;
}

AgentSpec agent(std::string name, std::vector<OpSpec> ops, std::uint32_t count) {
    AgentSpec spec;
    spec.name = std::move(name);
    spec.count = count;
    spec.ops = std::move(ops);
    return spec;
}

Scenario scenario_of(std::vector<AgentSpec> agents, MutexKind mutex, std::uint64_t mapping_size) {
    Scenario scenario;
    scenario.name = "ops";
    scenario.mapping.size = mapping_size;
    scenario.mutex.kind = mutex;
    scenario.timeout_ns = 10'000'000'000;
    scenario.agents = std::move(agents);
    return scenario;
}

const AgentHistory& AgentRun::agent(const std::string& name) const {
    for (const AgentHistory& history : report.history.agents)
        if (history.name == name) return history;
    throw std::logic_error("no agent '" + name + "' in the run");
}

AgentRun run_scenario(const Scenario& scenario, std::uint64_t seed,
                      const std::function<void(Plan&)>& adjust) {
    const std::string run_id = new_run_id();
    const auto run_dir = std::filesystem::temp_directory_path() / ("ipch-ops-test-" + run_id);
    AgentRun run;
    run.plan = make_plan(scenario, run_id, run_dir, seed);
    if (adjust) adjust(run.plan);
    write_plan_files(run.plan);
    run.report = run_agents(run.plan, RunOptions{std::string(IPCH_BIN_DIR) + "/ipc-agent"});
    // The events stay readable: the history maps or copies the logs before they go.
    std::error_code ec;
    std::filesystem::remove_all(run_dir, ec);
    INFO("run errors: " << run.report.errors.size());
    REQUIRE(run.report.errors.empty());
    return run;
}

std::vector<EventRecord> events_of(const AgentHistory& agent, OpKind kind) {
    std::vector<EventRecord> out;
    for (const EventRecord& event : agent.events)
        if (event.kind == kind) out.push_back(event);
    return out;
}

bool has_flags(const EventRecord& event, std::uint32_t flags) {
    return (event.flags & flags) == flags;
}

} // namespace ipch::test
