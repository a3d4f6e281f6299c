// load_scenario: file -> YAML document -> Scenario, collecting every problem on the way.
#include "scenario.hpp"
#include "scenario/read_document.hpp"
#include "scenario/read_values.hpp"
#include "scenario/readers.hpp"
#include "scenario/yaml_reader.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace ipch {

namespace {

using namespace scenario_detail;

constexpr std::array<std::string_view, 8> top_keys{"name",    "description", "timeout", "reuse",
                                                   "mapping", "mutex",       "agents",  "expect"};

std::string errno_text(int error) {
    return std::error_code(error, std::generic_category()).message();
}

// The whole file, or nullopt with the reason reported (a missing file, a directory, ...).
std::optional<std::string> read_file(const std::string& path, Diagnostics& diag) {
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        diag.error(diag.file_pos(), "cannot open the file: " + errno_text(errno));
        return std::nullopt;
    }
    std::string text;
    char buffer[65536];
    std::size_t got = 0;
    while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        text.append(buffer, got);
    // fopen succeeds on a directory; the first read is what fails (EISDIR).
    const int read_error = std::ferror(file) ? errno : 0;
    std::fclose(file);
    if (read_error != 0) {
        diag.error(diag.file_pos(), "cannot read the file: " + errno_text(read_error));
        return std::nullopt;
    }
    return text;
}

// A group may skip the lock (`mutex: none`), but two different locks cannot guard one mapping.
void check_group_mutexes(const Scenario& scenario, Diagnostics& diag) {
    const MutexKind run_kind = scenario.mutex.kind;
    for (const AgentSpec& agent : scenario.agents) {
        if (!agent.mutex_kind || *agent.mutex_kind == run_kind ||
            *agent.mutex_kind == MutexKind::none)
            continue;
        diag.error(agent.mutex_pos, "agent '" + agent.name + "' uses mutex '" +
                                        std::string(to_string(*agent.mutex_kind)) +
                                        "' but the run's mutex is '" +
                                        std::string(to_string(run_kind)) +
                                        "'; expected the run's kind, or none (a group may skip "
                                        "the lock; two different locks cannot guard one mapping)");
    }
}

// A file_lock locks the file /dev/shm/NAME, where a shm mapping of the same NAME lives: one name
// for both would make the mapping its own lock file.
void check_lock_file_name(const Scenario& scenario, const Field& mutex, Diagnostics& diag) {
    if (scenario.mutex.kind != MutexKind::file_lock || !scenario.mutex.name ||
        scenario.mutex.name != scenario.mapping.name)
        return;
    const YAML::Node name = mutex.node["name"];
    diag.error(name ? diag.pos(name) : mutex.pos,
               "mutex name '" + *scenario.mutex.name +
                   "' is also the mapping's name; expected another name (a file_lock locks the "
                   "file /dev/shm/NAME, which would be the mapping itself)");
}

Scenario read_scenario(const YAML::Node& root, const std::string& path, Diagnostics& diag) {
    Scenario scenario;
    scenario.path = path;
    scenario.name = std::filesystem::path(path).stem().string();
    const MapReader map(root, top_keys, "at the top level", diag);
    if (const auto name = map.find("name"))
        scenario.name = read_text(*name, diag).value_or(scenario.name);
    if (const auto description = map.find("description"))
        scenario.description = read_string(*description, diag).value_or("");
    if (const auto timeout = map.find("timeout"))
        scenario.timeout_ns =
            read_duration(*timeout, ZeroDuration::rejected, diag).value_or(scenario.timeout_ns);
    if (const auto reuse = map.find("reuse"))
        scenario.reuse = read_bool(*reuse, diag).value_or(scenario.reuse);
    if (const auto mapping = map.find("mapping")) scenario.mapping = read_mapping(*mapping, diag);
    const auto mutex = map.find("mutex");
    if (mutex) scenario.mutex = read_mutex(*mutex, diag);
    if (const auto agents = map.require("agents", "a list of agents"))
        scenario.agents = read_agents(*agents, path, diag);
    if (const auto expect = map.find("expect")) scenario.expect = read_expect(*expect, diag);
    check_group_mutexes(scenario, diag);
    if (mutex) check_lock_file_name(scenario, *mutex, diag);
    return scenario;
}

} // namespace

LoadResult load_scenario(const std::string& path) {
    Diagnostics diag(path);
    try {
        const std::optional<std::string> text = read_file(path, diag);
        const std::optional<YAML::Node> root = text ? read_document(*text, diag) : std::nullopt;
        if (root) {
            Scenario scenario = read_scenario(*root, path, diag);
            if (!diag.has_errors()) return scenario;
        }
    } catch (const std::exception& e) {
        // Nothing above is meant to throw (yaml-cpp's node API throws only on misuse), but a
        // scenario file must never take the harness down: make it one more problem to report.
        diag.error(diag.file_pos(),
                   std::string("internal error while reading the file: ") + e.what());
    }
    return diag.take_sorted();
}

std::string format_error(const ScenarioError& error) {
    if (error.pos.line <= 0) return error.pos.file + ": " + error.message;
    return error.pos.file + ":" + std::to_string(error.pos.line) + ":" +
           std::to_string(error.pos.column) + ": " + error.message;
}

} // namespace ipch
