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

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

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

Progress::Progress(std::ostream& out, ProgressStyle style, std::size_t cases, std::uint64_t case_ns)
    : out_(out), style_(style), cases_(cases), case_s_(static_cast<double>(case_ns) / 1e9) {
    if (style_ == ProgressStyle::bar) redraw_ = std::thread([this] { redraw_until_stopped(); });
}

Progress::~Progress() {
    if (!redraw_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    redraw_.join();
    out_ << "\r\033[K" << std::flush; // the table follows on stdout: leave no bar behind
}

void Progress::start_case(std::size_t index, const std::string& label) {
    std::lock_guard lock(mutex_);
    done_ = index;
    label_ = label;
    case_started_ = std::chrono::steady_clock::now();
    if (style_ == ProgressStyle::bar) draw();
}

void Progress::end_case(const StressCase& stress_case) {
    std::lock_guard lock(mutex_);
    done_ += 1;
    if (style_ == ProgressStyle::lines)
        out_ << "stress: [" << done_ << "/" << cases_ << "] "
             << console_text(case_summary(stress_case)) << "\n"
             << std::flush;
}

void Progress::redraw_until_stopped() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, redraw_every, [this] { return stop_; }))
        draw();
}

void Progress::draw() {
    const double in_case = std::min(since(case_started_), case_s_);
    const double planned = case_s_ * static_cast<double>(cases_);
    const double fraction =
        planned > 0 ? (case_s_ * static_cast<double>(done_) + in_case) / planned : 0;
    const double elapsed = since(started_);
    out_ << "\r"
         << console_text(progress_bar(fraction, std::min(done_ + 1, cases_), cases_, label_,
                                      elapsed, eta_seconds(fraction, elapsed, planned, done_)))
         << "\033[K" << std::flush;
}

} // namespace ipch::stress
