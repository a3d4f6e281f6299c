// One factory per mutex kind; open_mutex picks one by the plan's kind.
#pragma once

#include "backend.hpp"

namespace ipch {

std::unique_ptr<MutexBackend> open_named_mutex(const AgentPlan& plan);
std::unique_ptr<MutexBackend> open_file_lock(const AgentPlan& plan);
std::unique_ptr<MutexBackend> open_no_lock(const AgentPlan& plan);

} // namespace ipch
