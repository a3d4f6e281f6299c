// The trace report: a run's lock-ownership timelines as Chrome Trace Event JSON, which Perfetto's
// UI (ui.perfetto.dev, "Open trace file") and chrome://tracing open.
#pragma once

#include "results.hpp"

#include <iosfwd>

namespace ipch {

// One process track per agent of each case, named "CASE / AGENT"; on it a `wait` and a `hold`
// complete event ("ph": "X") per kept section of the timeline, the lock-order stamp and op id
// as arguments, and an instant ("ph": "i") per crash and per violation. Times are microseconds
// from the earliest event of the run. Every string is valid UTF-8 (text.hpp) in JSON escapes.
void write_trace_report(std::ostream& out, const RunResults& results);

} // namespace ipch
