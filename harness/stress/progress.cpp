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

RedrawnLine::RedrawnLine(std::ostream& out, bool enabled, std::function<std::string()> line)
    : out_(out), line_(std::move(line)) {
    if (!enabled) return;
    redraw_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, redraw_every, [this] { return stop_; }))
            draw();
    });
}

RedrawnLine::~RedrawnLine() {
    if (!redraw_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    redraw_.join();
    out_ << "\r\033[K" << std::flush; // a report follows: leave no bar behind
}

void RedrawnLine::update(const std::function<void()>& change, bool redraw) {
    std::lock_guard lock(mutex_);
    change();
    if (redraw && enabled()) draw();
}

void RedrawnLine::print(const std::string& text) {
    std::lock_guard lock(mutex_);
    if (!enabled()) {
        out_ << text << "\n" << std::flush;
        return;
    }
    out_ << "\r\033[K" << text << "\n";
    draw();
}

void RedrawnLine::draw() {
    out_ << "\r" << console_text(line_()) << "\033[K" << std::flush;
}

Progress::Progress(std::ostream& out, ProgressStyle style, std::size_t cases, std::uint64_t case_ns)
    : style_(style), cases_(cases), case_s_(static_cast<double>(case_ns) / 1e9),
      bar_(out, style == ProgressStyle::bar, [this] { return line(); }) {}

void Progress::start_case(std::size_t index, const std::string& label) {
    bar_.update(
        [&] {
            done_ = index;
            label_ = label;
            case_started_ = std::chrono::steady_clock::now();
        },
        true);
}

void Progress::end_case(const StressCase& stress_case) {
    std::size_t done = 0;
    bar_.update([&] { done = ++done_; }, false);
    if (style_ == ProgressStyle::lines)
        bar_.print("stress: [" + std::to_string(done) + "/" + std::to_string(cases_) + "] " +
                   console_text(case_summary(stress_case)));
}

std::string Progress::line() const {
    const double in_case = std::min(seconds_since(case_started_), case_s_);
    const double planned = case_s_ * static_cast<double>(cases_);
    const double fraction =
        planned > 0 ? (case_s_ * static_cast<double>(done_) + in_case) / planned : 0;
    const double elapsed = seconds_since(started_);
    return progress_bar(fraction, std::min(done_ + 1, cases_), cases_, label_, elapsed,
                        eta_seconds(fraction, elapsed, planned, done_));
}

} // namespace ipch::stress
