// One signal `run --chaos` sent to an agent (run/chaos.hpp), for the reports.
#pragma once

#include <string>

namespace ipch {

struct ChaosAction {
    std::string agent;
    int signal = 0;           // SIGKILL or SIGSTOP
    double due_s = 0;         // the moment the seed drew for it, since the agents were started
    double at_s = 0;          // when it went: due_s, or later (aiming, scheduling)
    bool inside_lock = false; // the mapping's owner word named the agent when the signal went
};

} // namespace ipch
