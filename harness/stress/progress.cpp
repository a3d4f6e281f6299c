#include "stress/progress.hpp"

#include "stress/stress_table.hpp"
#include "text.hpp"

#include <algorithm>
#include <cstdio>

namespace ipch::stress {

namespace {

constexpr int bar_width = 24;
constexpr auto redraw_every = std::chrono::milliseconds(250);

std::string seconds(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1fs", s);
    return text;
}

} // namespace

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

ProgressStyle progress_style(bool quiet, bool stderr_is_tty) {
    if (quiet) return ProgressStyle::none;
    return stderr_is_tty ? ProgressStyle::bar : ProgressStyle::lines;
}

std::string progress_bar(double fraction, std::size_t case_number, std::size_t cases,
                         const std::string& label, double elapsed_s, std::optional<double> eta_s) {
    fraction = std::clamp(fraction, 0.0, 1.0);
    const int filled = static_cast<int>(fraction * bar_width);
    std::string line = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                       std::string(static_cast<std::size_t>(bar_width - filled), '-') + "] " +
                       std::to_string(case_number) + "/" + std::to_string(cases) + "  " + label +
                       "  elapsed " + seconds(elapsed_s);
    if (eta_s) line += "  ETA " + seconds(*eta_s);
    return line;
}

double eta_seconds(double fraction, double elapsed_s, double planned_s, std::size_t cases_done) {
    fraction = std::clamp(fraction, 0.0, 1.0);
    if (cases_done == 0 || fraction <= 0) return (1 - fraction) * planned_s;
    return elapsed_s * (1 - fraction) / fraction;
}

CaseBar::CaseBar(std::ostream& out, bool enabled, std::function<std::string(const CasesDone&)> line)
    : out_(out), line_(std::move(line)) {
    if (!enabled) return;
    redraw_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, redraw_every, [this] { return stop_; }))
            draw();
    });
}

CaseBar::~CaseBar() {
    if (!redraw_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    redraw_.join();
    out_ << "\r\033[K" << std::flush; // a report follows: leave no bar behind
}

void CaseBar::start_case(std::size_t index, const std::string& label) {
    std::lock_guard lock(mutex_);
    state_.done = index;
    state_.label = label;
    state_.case_started = std::chrono::steady_clock::now();
    if (enabled()) draw();
}

std::size_t CaseBar::end_case() {
    std::lock_guard lock(mutex_);
    state_.done_s += seconds_since(state_.case_started);
    return ++state_.done;
}

void CaseBar::print(const std::string& text) {
    std::lock_guard lock(mutex_);
    if (!enabled()) {
        out_ << text << "\n" << std::flush;
        return;
    }
    out_ << "\r\033[K" << text << "\n";
    draw();
}

void CaseBar::draw() {
    out_ << "\r" << console_text(line_(state_)) << "\033[K" << std::flush;
}

Progress::Progress(std::ostream& out, ProgressStyle style, std::size_t cases, std::uint64_t case_ns)
    : style_(style), cases_(cases), case_s_(static_cast<double>(case_ns) / 1e9),
      bar_(out, style == ProgressStyle::bar,
           [this](const CasesDone& state) { return line(state); }) {}

void Progress::end_case(const StressCase& stress_case) {
    const std::size_t done = bar_.end_case();
    if (style_ == ProgressStyle::lines)
        bar_.print("stress: [" + std::to_string(done) + "/" + std::to_string(cases_) + "] " +
                   console_text(case_summary(stress_case)));
}

// The sweep's planned time is known: the bar advances with it, the running case up to its own.
std::string Progress::line(const CasesDone& state) const {
    const double in_case = std::min(seconds_since(state.case_started), case_s_);
    const double planned = case_s_ * static_cast<double>(cases_);
    const double fraction =
        planned > 0 ? (case_s_ * static_cast<double>(state.done) + in_case) / planned : 0;
    const double elapsed = seconds_since(state.started);
    return progress_bar(fraction, std::min(state.done + 1, cases_), cases_, state.label, elapsed,
                        eta_seconds(fraction, elapsed, planned, state.done));
}

} // namespace ipch::stress
