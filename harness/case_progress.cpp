#include "case_progress.hpp"

#include "stress/progress.hpp"
#include "text.hpp"

#include <algorithm>
#include <optional>
#include <unistd.h>

namespace ipch {

namespace {

constexpr auto redraw_every = std::chrono::milliseconds(250);

double since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

bool want_progress(bool quiet, std::size_t cases) {
    return !quiet && cases > 1 && ::isatty(STDERR_FILENO) != 0;
}

CaseProgress::CaseProgress(std::ostream& out, bool enabled, std::size_t cases)
    : out_(out), cases_(cases) {
    if (enabled) redraw_ = std::thread([this] { redraw_until_stopped(); });
}

CaseProgress::~CaseProgress() {
    if (!redraw_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    redraw_.join();
    out_ << "\r\033[K" << std::flush;
}

void CaseProgress::start_case(std::size_t index, const std::string& label) {
    std::lock_guard lock(mutex_);
    done_ = index;
    label_ = label;
    case_started_ = std::chrono::steady_clock::now();
    if (redraw_.joinable()) draw();
}

void CaseProgress::end_case() {
    std::lock_guard lock(mutex_);
    done_s_ += since(case_started_);
    done_ += 1;
}

void CaseProgress::print(const std::string& line) {
    std::lock_guard lock(mutex_);
    if (!redraw_.joinable()) {
        out_ << line << "\n" << std::flush;
        return;
    }
    out_ << "\r\033[K" << line << "\n";
    draw();
}

void CaseProgress::redraw_until_stopped() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, redraw_every, [this] { return stop_; }))
        draw();
}

void CaseProgress::draw() {
    // Until a case has finished nothing says how long one takes: no ETA, and the bar moves by
    // whole cases. After, the running case counts as far as its time against the mean, never
    // quite whole.
    std::optional<double> eta;
    double fraction = static_cast<double>(done_) / static_cast<double>(cases_);
    const double elapsed = since(started_);
    if (done_ > 0) {
        const double mean = done_s_ / static_cast<double>(done_);
        const double in_case = mean > 0 ? std::min(since(case_started_) / mean, 0.95) : 0;
        fraction += in_case / static_cast<double>(cases_);
        eta = stress::eta_seconds(fraction, elapsed, 0, done_);
    }
    out_ << "\r"
         << console_text(stress::progress_bar(fraction, std::min(done_ + 1, cases_), cases_, label_,
                                              elapsed, eta))
         << "\033[K" << std::flush;
}

} // namespace ipch
