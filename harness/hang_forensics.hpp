// What a timeout found, for the reports: who holds the lock, what each agent was doing and for
// how long, and whether the holder was alive — taken when the timeout expired, before the
// harness killed anything (docs/reports.md, "Hang forensics").
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ipch {

struct AgentForensics {
    std::string name;
    std::string state; // the control object's: starting, opened, running, done, failed, crashed
    std::string op;    // the op it was at, as the reports label ops ("op 3: hold 60s")
    std::string last_event; // its last recorded event ("lock ok"), or "" when it recorded none
    double waiting_s = 0;   // since its last recorded event ended (or its last state change)
    std::string process;    // running, sleeping, disk-wait, stopped, ended, gone
    bool alive = false;     // running, sleeping, disk-wait or stopped: not ended, not gone
};

struct HangForensics {
    double timeout_s = 0;
    std::string owner_word;  // the mapping header's owner word, "0x..." or "unreadable"
    std::string holder;      // the agent holding the lock, or "" when none can be named
    std::string holder_from; // "owner word" or "last acquire without release"
    std::optional<bool> holder_alive;
    std::vector<AgentForensics> agents;
};

} // namespace ipch
