#include "case_progress.hpp"

#include <algorithm>
#include <optional>
#include <unistd.h>

namespace ipch {

bool want_progress(bool quiet, std::size_t cases) {
    return !quiet && cases > 1 && ::isatty(STDERR_FILENO) != 0;
}

CaseProgress::CaseProgress(std::ostream& out, bool enabled, std::size_t cases)
    : cases_(cases),
      bar_(out, enabled, [this](const stress::CasesDone& state) { return line(state); }) {}

std::string CaseProgress::line(const stress::CasesDone& state) const {
    // Until a case has finished nothing says how long one takes: no ETA, and the bar moves by
    // whole cases. After, the running case counts as far as its time against the mean, never
    // quite whole.
    std::optional<double> eta;
    double fraction = static_cast<double>(state.done) / static_cast<double>(cases_);
    const double elapsed = stress::seconds_since(state.started);
    if (state.done > 0) {
        const double mean = state.done_s / static_cast<double>(state.done);
        const double in_case =
            mean > 0 ? std::min(stress::seconds_since(state.case_started) / mean, 0.95) : 0;
        fraction += in_case / static_cast<double>(cases_);
        eta = stress::eta_seconds(fraction, elapsed, 0, state.done);
    }
    return stress::progress_bar(fraction, std::min(state.done + 1, cases_), cases_, state.label,
                                elapsed, eta);
}

} // namespace ipch
