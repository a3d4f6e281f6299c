// One factory per mutex kind; open_mutex picks one by the plan's kind. The kinds that live in
// the mapping's lock area take the mapping.
#pragma once

#include "backend.hpp"

namespace ipch {

std::unique_ptr<MutexBackend> open_named_mutex(const AgentPlan& plan);
std::unique_ptr<MutexBackend> open_interprocess_mutex(const AgentPlan& plan, Mapping& mapping);
std::unique_ptr<MutexBackend> open_robust_mutex(const AgentPlan& plan, Mapping& mapping);
std::unique_ptr<MutexBackend> open_named_semaphore(const AgentPlan& plan);
std::unique_ptr<MutexBackend> open_file_lock(const AgentPlan& plan);
std::unique_ptr<MutexBackend> open_spin_lock(const AgentPlan& plan, Mapping& mapping);
std::unique_ptr<MutexBackend> open_no_lock(const AgentPlan& plan);

} // namespace ipch
