// libFuzzer target: any bytes, as an agent's binary event log, through read_agent_log (what the
// harness does with every agent's log after a run). A damaged log must come back as its valid
// prefix and a sentence in log_damage; a crash, an out-of-bounds read or a leak is a finding.
#include "fuzz_log_input.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static ipch::fuzz::MemoryFile file;
    const ipch::AgentHistory agent = ipch::read_agent_log(file.hold(data, size), 1);
    ipch::fuzz::read_every_event(agent);
    const std::size_t records =
        (size - std::min(size, sizeof(ipch::EventLogHeader))) / sizeof(ipch::EventRecord);
    if (agent.events.size() > records) std::abort();
    // A file too short for a whole header yields nothing and says why (a whole header that
    // committed fewer records than the file holds is no damage, and is not checked here).
    if (agent.events.empty() && size < sizeof(ipch::EventLogHeader) && agent.log_damage.empty())
        std::abort();
    return 0;
}
