// One agent's plan: what the harness tells an agent to do. Written by the harness as a JSON
// file in the run directory (its path is the agent's only argument), read by the agent.
// docs/agent-protocol.md documents the JSON form.
#pragma once

#include "ipch/event_log.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ipch {

inline constexpr int agent_plan_version = 1;

enum class OpenMode { create_only, create_or_open, open_existing };
enum class MutexKind { named_mutex, none };
enum class MappingKind { shm };

std::string_view to_string(OpenMode mode);
std::string_view to_string(MutexKind kind);
std::string_view to_string(MappingKind kind);

// What one op does, as a scenario states it and a plan carries it: the scenario's OpSpec and
// the plan's PlanOp both build on it, so a new op field reaches the agent without a copy step.
struct OpFields {
    bool is_repeat = false;
    OpKind kind = OpKind::sleep;   // leaf ops only
    std::string text;              // write: payload template; wait_for: awaited text template
    bool has_expect = false;       // read: compare what was read with `text`
    std::uint64_t duration_ns = 0; // hold, sleep; wait_for: its timeout
    std::uint64_t count = 0;       // repeat
};

// One op of the plan. Leaf ops carry an OpKind; a repeat carries a count and child ops.
struct PlanOp : OpFields {
    std::uint32_t id = 0;    // pre-order index in the agent's op tree; events refer to it
    std::vector<PlanOp> ops; // repeat
};

struct AgentPlan {
    int version = agent_plan_version;
    std::string run_id;
    std::uint32_t agent_id = 0; // from 1
    std::string agent_name;     // unique in the run: group name, plus -N when count > 1
    std::string group;
    std::uint32_t agent_index = 0; // 0-based slot in the control block

    MappingKind mapping_kind = MappingKind::shm;
    std::string mapping_name;
    std::uint64_t mapping_size = 0;
    OpenMode open_mode = OpenMode::create_or_open;
    MutexKind mutex_kind = MutexKind::named_mutex;
    std::string mutex_name;
    std::uint32_t permissions = 0600; // mode of the objects this agent creates

    std::uint32_t harness_pid = 0; // the controller: the agent leaves if its parent is another
    std::string control_name;      // the harness's coordination object (start barrier)
    std::uint32_t agent_count = 0;
    std::uint64_t start_timeout_ns = 0; // how long to wait for the start barrier

    std::string log_path;
    std::uint64_t log_capacity = 0; // records to preallocate (the log grows beyond it if needed)

    std::vector<PlanOp> ops;
};

// What an agent writes into the mapping's owner word while it is inside the critical section:
// a 16-bit salt from the run id, then the agent id. An owner word left by another run (a reused
// mapping whose holder died) has another salt, so it is never taken for one of this run's agents.
std::uint32_t owner_token(const AgentPlan& plan);

// Text templates: {agent} is the agent's name, {group} its group, {id} its id, {seq} the
// agent's count of its own writes (from 1), {run} the run id.
std::string expand_template(const std::string& text, const AgentPlan& plan, std::uint64_t seq);

std::string plan_to_json(const AgentPlan& plan);

// Throws std::runtime_error with a readable message when `json` is not a valid plan.
AgentPlan plan_from_json(const std::string& json);

} // namespace ipch
