// SIGINT, SIGTERM and SIGHUP become a flag the supervisor polls, so that an interrupted run still
// kills its agents, removes its objects and writes its reports.
#pragma once

namespace ipch {

void install_interrupt_handlers();

// The signal received (SIGINT, SIGTERM or SIGHUP), or 0.
int pending_interrupt();

} // namespace ipch
