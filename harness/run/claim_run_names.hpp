// A run with --seed has the same run id, hence the same object names and run directory, in
// every invocation with that seed. Two live runs must not share them, and a dead run's leftovers
// must not stop the next one: the names are locked for the run's length, as fixed names are.
#pragma once

#include "plan.hpp"
#include "run/name_lock.hpp"

#include <optional>
#include <string>

namespace ipch {

// Takes the lock on the plan's run id into `lock`; on success removes what a dead run with this
// id left behind (its objects, its run directory) and returns nullopt. When another live run
// holds the id, returns the refusal to report.
std::optional<std::string> claim_run_names(const Plan& plan, NameLock& lock);

} // namespace ipch
