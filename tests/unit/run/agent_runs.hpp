// Real runs of ipc-agent for the op tests: scenarios built in code (not YAML), planned, run by
// run_agents, and their History returned for the tests to look at event by event.
#pragma once

#include "run.hpp"
#include "scenario.hpp"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

namespace ipch::test {

OpSpec op(OpKind kind);
OpSpec write_op(std::string text);
OpSpec write_sized(std::uint64_t size, std::string pattern);
OpSpec read_op();
OpSpec read_expecting(std::string text);
OpSpec open_op(OpenMode mode);
OpSpec hold_op(std::uint64_t ns);
OpSpec sleep_op(std::uint64_t min_ns, std::uint64_t max_ns = 0);
OpSpec timed_lock_op(std::uint64_t timeout_ns);
OpSpec barrier_op(std::string name);
OpSpec crash_op(CrashPoint at);
OpSpec repeat_op(std::uint64_t count, std::vector<OpSpec> ops);
OpSpec repeat_for(std::uint64_t duration_ns, std::vector<OpSpec> ops);

AgentSpec agent(std::string name, std::vector<OpSpec> ops, std::uint32_t count = 1);

// A scenario of `agents` on a small mapping, with a timeout that a hang would hit.
Scenario scenario_of(std::vector<AgentSpec> agents, MutexKind mutex = MutexKind::named_mutex,
                     std::uint64_t mapping_size = 256);

struct AgentRun {
    Plan plan;
    RunReport report;
    const AgentHistory& agent(const std::string& name) const;
};

// Plans and runs `scenario` with the built ipc-agent in a fresh run directory (removed after).
// `adjust` may change the plan before its files are written.
AgentRun run_scenario(const Scenario& scenario, std::uint64_t seed = 1,
                      const std::function<void(Plan&)>& adjust = {});

// The agent's events of one kind, in its order.
std::vector<EventRecord> events_of(const AgentHistory& agent, OpKind kind);

bool has_flags(const EventRecord& event, std::uint32_t flags);

} // namespace ipch::test
