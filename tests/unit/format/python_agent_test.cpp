// The Python example agent (agents/python/python_agent.py) computes what both sides must agree
// on, the message checksum, the owner token and the text templates, with its own code. These
// tests run it (python3) over many inputs and compare every answer with the C++ side's.
#include "ipch/agent_plan.hpp"
#include "ipch/control_block.hpp"
#include "ipch/mapping_layout.hpp"

#include <catch2/catch.hpp>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ipch;
namespace fs = std::filesystem;

namespace {

// Runs `script` in python3 with the agent's module importable, `input` as its stdin; returns
// its stdout lines. Files, not pipes: nothing here can block on a full pipe.
std::vector<std::string> run_python(const std::string& script, const std::string& input) {
    const fs::path dir = fs::temp_directory_path() / ("ipch-py-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "script.py") << "import sys\nsys.path.insert(0, '" IPCH_SOURCE_DIR
                                        "/agents/python')\nimport python_agent as agent\n"
                                     << script;
    std::ofstream(dir / "input.txt") << input;
    const std::string command = "python3 -B " + (dir / "script.py").string() + " < " +
                                (dir / "input.txt").string() + " > " +
                                (dir / "output.txt").string();
    const int status = std::system(command.c_str());
    std::ifstream out(dir / "output.txt");
    std::vector<std::string> lines;
    for (std::string line; std::getline(out, line);)
        lines.push_back(line);
    fs::remove_all(dir);
    REQUIRE(status == 0);
    return lines;
}

std::string hex_bytes(const std::string& bytes) {
    std::string out;
    char digits[3];
    for (const unsigned char c : bytes) {
        std::snprintf(digits, sizeof digits, "%02x", c);
        out += digits;
    }
    return out;
}

} // namespace

TEST_CASE("the Python agent's XXH64 equals the C++ side's for every length to 300 bytes",
          "[python][layout]") {
    // Every length exercises another mix of XXH64's branches: 32-byte stripes, 8-byte and
    // 4-byte lanes, single bytes. Bytes from a fixed LCG cover all 256 values.
    std::vector<std::string> inputs;
    std::uint32_t state = 12345;
    std::string bytes;
    for (int length = 0; length <= 300; ++length) {
        inputs.push_back(bytes);
        state = state * 1103515245u + 12345u;
        bytes += static_cast<char>(state >> 24);
    }
    std::string input;
    for (const std::string& in : inputs)
        input += hex_bytes(in) + "\n";
    const auto lines = run_python(
        "for line in sys.stdin:\n    print(agent.xxh64(bytes.fromhex(line.strip())))\n", input);
    REQUIRE(lines.size() == inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        INFO("length " << i);
        CHECK(std::stoull(lines[i]) == message_checksum(inputs[i].data(), inputs[i].size()));
    }
}

TEST_CASE("the Python agent's mapping layout equals the C++ side's, tail guard included",
          "[python][layout]") {
    std::string input;
    for (std::size_t size = 0; size <= 320; ++size)
        input += std::to_string(size) + "\n";
    const auto lines = run_python("for line in sys.stdin:\n"
                                  "    for lock in (0, 128):\n"
                                  "        print(agent.mapping_layout(int(line), lock))\n",
                                  input);
    REQUIRE(lines.size() == 2 * 321);
    for (std::size_t size = 0; size <= 320; ++size)
        for (const std::size_t lock : {std::size_t{0}, in_mapping_lock_bytes}) {
            INFO("size " << size << ", lock bytes " << lock);
            const auto layout = mapping_layout(size, lock);
            const std::string expected = layout
                                             ? "(" + std::to_string(layout->header_offset) + ", " +
                                                   std::to_string(layout->payload_offset) + ", " +
                                                   std::to_string(layout->capacity) + ")"
                                             : "None";
            CHECK(lines[2 * size + (lock == 0 ? 0 : 1)] == expected);
        }
}

TEST_CASE("the Python agent's owner tokens and templates equal the C++ side's", "[python][plan]") {
    AgentPlan plan;
    plan.agent_name = "py-2";
    plan.group = "py";
    const std::vector<std::string> run_ids{"", "0027f9b3c1a0e", "abc123", "ffffffffffffff", "x"};
    std::string input;
    for (const std::string& run_id : run_ids)
        for (const std::uint32_t id : {1u, 2u, 255u, 65535u, 65536u + 7u})
            input += (run_id.empty() ? "-" : run_id) + " " + std::to_string(id) + "\n";
    const auto lines = run_python(R"(for line in sys.stdin:
    run_id, agent_id = line.split()
    run_id = "" if run_id == "-" else run_id
    plan = {"run_id": run_id, "agent": {"name": "py-2", "group": "py", "id": int(agent_id)}}
    print(agent.owner_token(run_id, int(agent_id)),
          agent.expand_template("{agent}|{group}|{id}|{seq}|{run}|{nope}|{seq", plan, 42))
)",
                                  input);
    std::istringstream in(input);
    std::size_t i = 0;
    for (std::string run_id, id; in >> run_id >> id; ++i) {
        plan.run_id = run_id == "-" ? "" : run_id;
        plan.agent_id = static_cast<std::uint32_t>(std::stoul(id));
        REQUIRE(i < lines.size());
        INFO("run id '" << plan.run_id << "', agent " << plan.agent_id);
        CHECK(lines[i] ==
              std::to_string(owner_token(plan)) + " " +
                  expand_template("{agent}|{group}|{id}|{seq}|{run}|{nope}|{seq", plan, 42));
    }
    CHECK(i == lines.size());
}

TEST_CASE("the byte offsets docs/agent-protocol.md gives external agents are the formats' own",
          "[python][layout]") {
    // External agents (the Python one: its OFF_* and H_* constants) address the control object
    // and the mapping header by these numbers; a change of layout must change the docs too.
    CHECK(offsetof(ControlBlock, magic) == 0);
    CHECK(offsetof(ControlBlock, version) == 4);
    CHECK(offsetof(ControlBlock, agent_count) == 8);
    CHECK(offsetof(ControlBlock, open_phase) == 16);
    CHECK(offsetof(ControlBlock, go) == 20);
    CHECK(offsetof(ControlBlock, abort) == 24);
    CHECK(offsetof(ControlBlock, slots) == 64);
    CHECK(sizeof(AgentSlot) == 64);
    CHECK(offsetof(AgentSlot, state) == 0);
    CHECK(offsetof(AgentSlot, op_id) == 4);
    CHECK(offsetof(AgentSlot, t_state_ns) == 8);
    CHECK(control_magic == 0x4c544349);
    CHECK(static_cast<std::uint32_t>(OpenPhase::creators) == 1);
    CHECK(static_cast<std::uint32_t>(OpenPhase::everyone) == 2);
    CHECK(static_cast<std::uint32_t>(AgentState::opened) == 1);
    CHECK(static_cast<std::uint32_t>(AgentState::running) == 2);
    CHECK(static_cast<std::uint32_t>(AgentState::done) == 3);
    CHECK(static_cast<std::uint32_t>(AgentState::failed) == 4);

    CHECK(offsetof(MappingHeader, stamp) == 0);
    CHECK(offsetof(MappingHeader, owner) == 8);
    CHECK(offsetof(MappingHeader, counter) == 16);
    CHECK(offsetof(MappingHeader, message) + offsetof(MessageHeader, writer) == 24);
    CHECK(offsetof(MappingHeader, message) + offsetof(MessageHeader, length) == 28);
    CHECK(offsetof(MappingHeader, message) + offsetof(MessageHeader, writer_seq) == 32);
    CHECK(offsetof(MappingHeader, message) + offsetof(MessageHeader, checksum) == 40);
    CHECK(sizeof(MappingHeader) == 48);
    CHECK(lock_bytes_for(MutexKind::file_lock) == 0);
    CHECK(lock_file_path("ipch-abc-mtx") == "/dev/shm/ipch-abc-mtx");
}
