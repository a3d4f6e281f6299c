// The plan: a scenario turned into per-agent op lists, object names and a run directory.
#pragma once

#include "ipch/agent_plan.hpp"
#include "scenario.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace ipch {

// A named OS object the run uses, and whether the run owns its name (ipch-<run>-<role>).
struct NamedObject {
    std::string name;
    bool fixed = false; // the scenario fixed this name (the classic's)
};

struct Plan {
    std::string run_id;
    std::filesystem::path run_dir;
    NamedObject mapping;
    NamedObject mutex;
    NamedObject control;
    MappingKind mapping_kind = MappingKind::shm;
    MutexKind mutex_kind = MutexKind::named_mutex;
    std::uint64_t mapping_size = 0;
    std::uint64_t lock_bytes = 0; // the mapping's lock area, for the run's mutex kind
    bool reuse = false;
    std::uint64_t timeout_ns = 0;
    std::uint64_t seed = 0;        // every random choice of the run derives from it
    std::vector<AgentPlan> agents; // agent_id == index + 1
    // Per agent, at the same index: an external agent's program (absolute) and its arguments;
    // empty for the built-in agent.
    std::vector<std::vector<std::string>> commands;
    std::vector<std::filesystem::path> plan_files; // one per agent, once written
};

// A fresh run id: short, unique per run on this host, valid in object names: the controller's
// pid and a random part, 13 hex digits.
std::string new_run_id();

// The seed of one invocation, drawn when the command line gives none.
std::uint64_t random_run_seed();

// A case's seed: a mix of the invocation's seed and the case's name, so that a case gets the
// same seed whichever other cases run with it.
std::uint64_t case_seed(std::uint64_t run_seed, std::string_view case_name);

// The run id of a case run with --seed: 's' and 12 hex digits from the case's seed, the same in
// every invocation with that seed (hence the same plan files). `occurrence` counts the earlier
// cases of the invocation with the same name (two files may share one), so that no two runs of
// one invocation share an id.
std::string seeded_run_id(std::uint64_t case_seed, std::uint32_t occurrence);

// Makes the plan of one run of `scenario`; names every object and file, writes nothing. The
// same scenario, run id and seed give the same plan.
Plan make_plan(const Scenario& scenario, const std::string& run_id,
               const std::filesystem::path& run_dir, std::uint64_t seed);

// Writes one JSON plan file per agent into the run directory (creating it).
void write_plan_files(Plan& plan);

// Flattens an agent's op tree into one label per op id, for evidence ("wait_for \"hi\" 5s").
std::vector<std::string> op_labels(const AgentPlan& agent);

} // namespace ipch
