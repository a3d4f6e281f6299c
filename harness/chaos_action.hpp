// One signal `run --chaos` sent to an agent (run/chaos.hpp), for the reports.
#pragma once

#include <string>

namespace ipch {

struct ChaosAction {
    std::string agent;
    int signal = 0;           // SIGKILL or SIGSTOP
    double at_s = 0;          // since the agents were started
    bool inside_lock = false; // the mapping's owner word named the agent when the signal went
};

} // namespace ipch
