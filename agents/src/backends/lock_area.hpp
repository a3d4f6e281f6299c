// The lock area at the start of the mapping, for the mutex kinds that live there
// (interprocess_mutex, robust_mutex, spin): who builds the lock object, and when others may use
// it. Layout: ipch/mapping_layout.hpp (LockAreaHeader).
#pragma once

#include "backend.hpp"

#include <functional>

namespace ipch {

// The lock object of `plan.mutex_kind` in the mapping's lock area, built by `init` exactly once
// per mapping: by the first agent to map it (a zero-filled mapping is new; whoever wins the
// compare-and-swap of `state` from 0 builds it). Every other agent waits (up to a second) until
// it is built. Throws OpenError when the lock area is too small, holds another kind's lock (a
// reused mapping), or was never finished (its builder died half-way). `built` says whether this
// call built it: for the lock area, that is creating the mutex.
void* ready_lock_object(const AgentPlan& plan, Mapping& mapping,
                        const std::function<void(void*)>& init, bool& built);

// The lock area's header, for what a kind records there (robust_mutex: its recoveries).
LockAreaHeader& lock_area_header(Mapping& mapping);

} // namespace ipch
