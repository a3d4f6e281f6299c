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

// Where a run of cases stands: the bar's line is drawn from it.
struct CasesDone {
    std::size_t done = 0; // cases finished
    double done_s = 0;    // their time together
    std::string label;    // the running case's
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point case_started = started;
};

// A bar on a terminal over a run of cases, redrawn every 250 ms by a thread of its own from
// what `line` makes of the cases' state, and cleared when destroyed (a report follows). Not
// drawing (`enabled` false), it only keeps the state.
class CaseBar {
  public:
    CaseBar(std::ostream& out, bool enabled, std::function<std::string(const CasesDone&)> line);
    CaseBar(const CaseBar&) = delete;
    CaseBar& operator=(const CaseBar&) = delete;
    ~CaseBar();

    bool enabled() const { return redraw_.joinable(); }
    // Case `index` (from 0; as many done before it) begins; the bar is redrawn.
    void start_case(std::size_t index, const std::string& label);
    // The running case ended: its time counts; returns how many cases are done.
    std::size_t end_case();
    // `text` (made fit for a terminal by the caller) on a line of its own: above the bar when
    // drawing (cleared, written, redrawn).
    void print(const std::string& text);

  private:
    void draw(); // with mutex_ held

    std::ostream& out_;
    std::function<std::string(const CasesDone&)> line_;
    CasesDone state_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread redraw_;
};

class Progress {
  public:
    // `case_ns`: a case's planned time (warmup + duration), which the bar advances with.
    Progress(std::ostream& out, ProgressStyle style, std::size_t cases, std::uint64_t case_ns);

    void start_case(std::size_t index, const std::string& label) { bar_.start_case(index, label); }
    void end_case(const StressCase& stress_case);

  private:
    std::string line(const CasesDone& state) const;

    ProgressStyle style_;
    std::size_t cases_;
    double case_s_;
    CaseBar bar_; // last: its thread reads the members above
};

} // namespace ipch::stress
