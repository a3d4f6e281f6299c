// What the run's named objects look like after every agent ended, before the harness's clean-up
// removes them: the evidence of persistence, permissions, capacity and open-missing.
#pragma once

#include "history.hpp"
#include "plan.hpp"
#include "run/named_objects.hpp"

#include <cstddef>
#include <vector>

namespace ipch {

// The mapping, then the mutex's own object when its kind has one (mutex_object_path). Reads
// only: every object is opened read-only and nothing is created. `preexisting` says which
// existed before the run.
std::vector<ObjectObservation> observe_objects(const Plan& plan, PreexistingObjects preexisting);

// Where the mapping's tail guard starts: its last 8 bytes, which no correct agent writes.
// (MappingLayout::guard_offset, once the layout carries it.)
std::size_t tail_guard_offset(std::size_t mapping_size);

} // namespace ipch
