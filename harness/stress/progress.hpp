// Progress of a sweep on stderr: a bar with elapsed time and ETA on a terminal, one plain line
// per finished case otherwise (a log, a CI job), nothing with -q.
#pragma once

#include "stress/stress.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>

namespace ipch::stress {

enum class ProgressStyle { none, bar, lines };

// -q wins; else a bar only where a person watches a terminal.
ProgressStyle progress_style(bool quiet, bool stderr_is_tty);

// "[#####-----]  3/8  named_mutex agents=4 repeat=1  elapsed 5.1s  ETA 10.2s": `fraction` of the
// sweep's planned time is done; no ETA without one.
std::string progress_bar(double fraction, std::size_t case_number, std::size_t cases,
                         const std::string& label, double elapsed_s, std::optional<double> eta_s);

// The time left: until a case has ended, the planned time left (nothing else is known yet);
// then the time so far scaled by what is left, which counts the cases' overheads (spawning,
// checking) as they have been.
double eta_seconds(double fraction, double elapsed_s, double planned_s, std::size_t cases_done);

double seconds_since(std::chrono::steady_clock::time_point start);

// A line on a terminal, redrawn every 250 ms by a thread of its own from what `line` returns,
// and cleared when destroyed (a report follows). Its owner changes what the line shows through
// `update`, under the lock the redraws take. Not drawing (`enabled` false), it only runs the
// changes.
class RedrawnLine {
  public:
    RedrawnLine(std::ostream& out, bool enabled, std::function<std::string()> line);
    RedrawnLine(const RedrawnLine&) = delete;
    RedrawnLine& operator=(const RedrawnLine&) = delete;
    ~RedrawnLine();

    bool enabled() const { return redraw_.joinable(); }
    // Runs `change` under the lock, then redraws when `redraw`.
    void update(const std::function<void()>& change, bool redraw);
    // `text` (made fit for a terminal by the caller) on a line of its own: above the line when
    // drawing (cleared, written, redrawn).
    void print(const std::string& text);

  private:
    void draw(); // with mutex_ held

    std::ostream& out_;
    std::function<std::string()> line_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread redraw_;
};

class Progress {
  public:
    // `case_ns`: a case's planned time (warmup + duration), which the bar advances with.
    Progress(std::ostream& out, ProgressStyle style, std::size_t cases, std::uint64_t case_ns);

    void start_case(std::size_t index, const std::string& label);
    void end_case(const StressCase& stress_case);

  private:
    std::string line() const; // the bar, with the line's lock held

    ProgressStyle style_;
    std::size_t cases_;
    double case_s_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point case_started_ = started_;
    std::size_t done_ = 0;
    std::string label_;
    RedrawnLine bar_; // last: its thread reads the members above
};

} // namespace ipch::stress
