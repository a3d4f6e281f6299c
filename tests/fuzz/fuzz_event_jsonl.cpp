// libFuzzer target: any bytes, as an external agent's JSON-lines event file, through
// read_agent_jsonl (docs/agent-protocol.md). Damage is reported, never a crash or a leak.
#include "fuzz_log_input.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static ipch::fuzz::MemoryFile file;
    const ipch::AgentHistory agent = ipch::read_agent_jsonl(file.hold(data, size), 1);
    ipch::fuzz::read_every_event(agent);
    // Every line holds at most one event.
    std::size_t lines = 1;
    for (std::size_t i = 0; i < size; ++i)
        lines += data[i] == '\n';
    if (agent.events.size() > lines) std::abort();
    return 0;
}
