// Progress of `run DIR` and `conformance` on stderr, on a terminal only: the stress sweep's bar
// and ETA (stress/progress.hpp), advanced by cases. A log or a CI job gets nothing from it: the
// reports say it all at the end.
#pragma once

#include "stress/progress.hpp"

#include <chrono>
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

    void start_case(std::size_t index, const std::string& label);
    void end_case();
    // A line of its own above the bar (the bar is cleared, the line written, the bar redrawn);
    // without a bar, just the line.
    void print(const std::string& line) { bar_.print(line); }

  private:
    std::string line() const; // the bar, with the line's lock held

    std::size_t cases_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point case_started_ = started_;
    std::size_t done_ = 0;
    double done_s_ = 0; // the finished cases' time: their mean estimates the running one's
    std::string label_;
    stress::RedrawnLine bar_; // last: its thread reads the members above
};

} // namespace ipch
