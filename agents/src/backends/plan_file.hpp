// A regular file that one of the run's objects lives in (a file mapping, a file_lock's lock
// file), opened or created as the plan's open mode says, like the other objects.
#pragma once

#include "ipch/agent_plan.hpp"

#include <string>

namespace ipch {

// create_only creates the file (and fails if it is there), open_existing finds it,
// create_or_open does either. A file this call creates gets the plan's permissions (open() would
// apply the umask). Returns a read-write descriptor, and sets `created` when the O_EXCL create
// made the file; -1 with errno set on failure.
int open_plan_file(const AgentPlan& plan, const std::string& path, bool& created);

} // namespace ipch
