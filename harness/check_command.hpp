// `ipc-harness check RUN_DIR`: judges a kept run directory again, from the plans and event logs
// its agents left, without running anything.
#pragma once

#include "file_reports.hpp"

#include <string>

namespace ipch {

struct CheckCommand {
    std::string run_dir;
    ReportPaths reports; // none unless given
    bool quiet = false;
};

// Exit codes as for `run`: 0 every property that applies holds, 1 one does not, 2 the folder is
// no run directory.
int check_command(const CheckCommand& command);

} // namespace ipch
