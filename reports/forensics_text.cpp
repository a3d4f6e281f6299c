#include "forensics_text.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>

namespace ipch {

namespace {

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f s", seconds);
    return text;
}

std::string signal_name(int signal) {
    const char* abbrev = sigabbrev_np(signal);
    return abbrev != nullptr ? "SIG" + std::string(abbrev) : "signal " + std::to_string(signal);
}

std::string holder_text(const HangForensics& hang) {
    if (hang.holder.empty())
        return "no agent holds the lock as far as can be seen (owner word " + hang.owner_word +
               ", no acquire without release in any log)";
    std::string text = hang.holder + " holds the lock (" + hang.holder_from;
    if (hang.holder_from == "owner word") text += " " + hang.owner_word;
    text += "), ";
    text += hang.holder_alive.value_or(false) ? "alive" : "not alive";
    return text;
}

std::vector<std::string> forensics_lines(const HangForensics& hang) {
    std::vector<std::string> lines{"timeout after " + seconds_text(hang.timeout_s) + ": " +
                                   holder_text(hang)};
    for (const AgentForensics& agent : hang.agents) {
        std::string line = "  " + agent.name + ": " + agent.state + ", at " + agent.op;
        line +=
            agent.last_event.empty() ? ", no event recorded" : ", last event " + agent.last_event;
        line += ", there for " + seconds_text(agent.waiting_s) + ", process " + agent.process;
        lines.push_back(std::move(line));
    }
    return lines;
}

std::vector<std::string> chaos_lines(const std::vector<ChaosAction>& chaos) {
    std::vector<std::string> lines;
    for (const ChaosAction& action : chaos)
        lines.push_back("chaos: " + signal_name(action.signal) + " " + action.agent + " at " +
                        seconds_text(action.at_s) +
                        (action.inside_lock ? ", inside the lock" : ", outside the lock"));
    return lines;
}

} // namespace

std::vector<std::string> run_notes(const ScenarioResult& scenario) {
    std::vector<std::string> lines;
    if (scenario.hang) lines = forensics_lines(*scenario.hang);
    for (std::string& line : chaos_lines(scenario.chaos))
        lines.push_back(std::move(line));
    return lines;
}

} // namespace ipch
