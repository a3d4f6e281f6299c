// Progress of `run DIR` and `conformance` on stderr, on a terminal only: the stress sweep's bar
// and ETA (stress/progress.hpp), advanced by cases. A log or a CI job gets nothing from it: the
// reports say it all at the end.
#pragma once

#include "stress/progress.hpp"

#include <cstddef>
#include <ostream>
#include <string>

namespace ipch {

// Whether to draw: stderr is a terminal, not -q, and more than one case (one case is done
// before a bar would say anything).
bool want_progress(bool quiet, std::size_t cases);

class CaseProgress {
  public:
    // Draws nothing unless `enabled`.
    CaseProgress(std::ostream& out, bool enabled, std::size_t cases);

    void start_case(std::size_t index, const std::string& label) { bar_.start_case(index, label); }
    void end_case() { bar_.end_case(); }
    // A line of its own above the bar (the bar is cleared, the line written, the bar redrawn);
    // without a bar, just the line.
    void print(const std::string& line) { bar_.print(line); }

  private:
    std::string line(const stress::CasesDone& state) const;

    std::size_t cases_;
    stress::CaseBar bar_; // last: its thread reads the members above
};

} // namespace ipch
