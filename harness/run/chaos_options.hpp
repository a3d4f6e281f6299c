// What `run --chaos kill,stop[:RATE]` asks for (run/chaos.hpp does it).
#pragma once

#include "chaos_action.hpp"

#include <optional>
#include <string>

namespace ipch {

struct ChaosOptions {
    bool kill = false; // SIGKILL: the agent dies where it stands
    bool stop = false; // SIGSTOP: it stays, holding what it holds, until the timeout kills it
    double rate = 20;  // actions per second of run, on average
};

// `kill`, `stop` or `kill,stop`, then optionally `:RATE` (actions per second, > 0); nullopt and
// `why` for anything else.
std::optional<ChaosOptions> parse_chaos(const std::string& text, std::string& why);

} // namespace ipch
