// The console report: what a person reads at the end of `ipc-harness run`.
#pragma once

#include "results.hpp"

#include <iosfwd>

namespace ipch {

struct ConsoleOptions {
    bool verbose = false; // list every scenario's properties, not only the failing scenarios'
    bool quiet = false;   // only the failures and the totals (wins over verbose)
    bool color = false;   // ANSI colours; the caller decides (a TTY, NO_COLOR unset)
};

// Whether a console report is coloured: only on a terminal, and not when NO_COLOR is set to
// anything but the empty string (no-color.org). `no_color` is getenv("NO_COLOR").
bool use_color(bool is_terminal, const char* no_color);

// One line per scenario, its properties under it when it failed (or with verbose), then every
// failure with its evidence, then the totals. Every string from a scenario, an agent or the
// checker is sanitised so that it cannot drive the terminal.
void write_console_report(std::ostream& out, const RunResults& results,
                          const ConsoleOptions& options);

} // namespace ipch
