// libFuzzer target: any bytes, as an agent's binary event log, through read_agent_log (what the
// harness does with every agent's log after a run). A damaged log must come back as its valid
// prefix and a sentence in log_damage; a crash, an out-of-bounds read or a leak is a finding.
#include "fuzz_log_input.hpp"
#include "history.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static ipch::fuzz::MemoryFile file;
    const ipch::AgentHistory agent = ipch::read_agent_log(file.hold(data, size), 1);
    // Every event the reader hands out is read whole, as the checker would: ASan sees any record
    // that lies outside the mapping.
    std::uint64_t sum = 0;
    for (const ipch::EventRecord& event : agent.events)
        sum += event.t_requested + event.stamp + event.msg_checksum + event.flags;
    const std::size_t records =
        (size - std::min(size, sizeof(ipch::EventLogHeader))) / sizeof(ipch::EventRecord);
    if (agent.events.size() > records) std::abort();
    // A log that yields fewer records than its bytes hold says why, unless it is a log whose
    // header is whole and that simply committed fewer.
    if (agent.events.empty() && size < sizeof(ipch::EventLogHeader) && agent.log_damage.empty())
        std::abort();
    asm volatile("" : : "g"(sum) : "memory"); // keeps the reads from being optimised away
    return 0;
}
