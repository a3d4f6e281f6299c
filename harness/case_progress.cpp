#include "case_progress.hpp"

#include <algorithm>
#include <optional>
#include <unistd.h>

namespace ipch {

bool want_progress(bool quiet, std::size_t cases) {
    return !quiet && cases > 1 && ::isatty(STDERR_FILENO) != 0;
}

CaseProgress::CaseProgress(std::ostream& out, bool enabled, std::size_t cases)
    : cases_(cases), bar_(out, enabled, [this] { return line(); }) {}

void CaseProgress::start_case(std::size_t index, const std::string& label) {
    bar_.update(
        [&] {
            done_ = index;
            label_ = label;
            case_started_ = std::chrono::steady_clock::now();
        },
        true);
}

void CaseProgress::end_case() {
    bar_.update(
        [&] {
            done_s_ += stress::seconds_since(case_started_);
            done_ += 1;
        },
        false);
}

std::string CaseProgress::line() const {
    // Until a case has finished nothing says how long one takes: no ETA, and the bar moves by
    // whole cases. After, the running case counts as far as its time against the mean, never
    // quite whole.
    std::optional<double> eta;
    double fraction = static_cast<double>(done_) / static_cast<double>(cases_);
    const double elapsed = stress::seconds_since(started_);
    if (done_ > 0) {
        const double mean = done_s_ / static_cast<double>(done_);
        const double in_case =
            mean > 0 ? std::min(stress::seconds_since(case_started_) / mean, 0.95) : 0;
        fraction += in_case / static_cast<double>(cases_);
        eta = stress::eta_seconds(fraction, elapsed, 0, done_);
    }
    return stress::progress_bar(fraction, std::min(done_ + 1, cases_), cases_, label_, elapsed,
                                eta);
}

} // namespace ipch
