// Progress of `run DIR` and `conformance` on stderr, on a terminal only: the stress sweep's bar
// and ETA (stress/progress.hpp), advanced by cases. A log or a CI job gets nothing from it: the
// reports say it all at the end.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace ipch {

// Whether to draw: stderr is a terminal, not -q, and more than one case (one case is done
// before a bar would say anything).
bool want_progress(bool quiet, std::size_t cases);

class CaseProgress {
  public:
    // Draws nothing unless `enabled`.
    CaseProgress(std::ostream& out, bool enabled, std::size_t cases);
    CaseProgress(const CaseProgress&) = delete;
    CaseProgress& operator=(const CaseProgress&) = delete;
    ~CaseProgress(); // clears the bar: the console report follows

    void start_case(std::size_t index, const std::string& label);
    void end_case();
    // A line of its own above the bar (the bar is cleared, the line written, the bar redrawn);
    // without a bar, just the line.
    void print(const std::string& line);

  private:
    void redraw_until_stopped();
    void draw(); // with mutex_ held

    std::ostream& out_;
    std::size_t cases_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point case_started_ = started_;
    std::size_t done_ = 0;
    double done_s_ = 0; // the finished cases' time: their mean estimates the running one's
    std::string label_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread redraw_;
};

} // namespace ipch
