// load_scenario: file -> YAML document -> matrix -> one Scenario per case, collecting every
// problem on the way.
#include "ipch/mapping_layout.hpp"
#include "scenario.hpp"
#include "scenario/case_errors.hpp"
#include "scenario/matrix.hpp"
#include "scenario/read_document.hpp"
#include "scenario/read_stress.hpp"
#include "scenario/read_values.hpp"
#include "scenario/readers.hpp"
#include "scenario/references.hpp"
#include "scenario/yaml_reader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <tuple>

namespace ipch {

namespace {

using namespace scenario_detail;

constexpr std::array<std::string_view, 11> top_keys{
    "name",        "description", "timeout", "reuse",  "mapping", "mutex",
    "permissions", "agents",      "expect",  "matrix", "kind"};

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

// A mutex kind that lives in the mapping (interprocess_mutex, robust_mutex, spin) takes its lock
// area from the mapping's bytes: the classic's 100 bytes leave no room for a message beside it.
void check_mapping_room(const Scenario& scenario, const Field& mapping, Diagnostics& diag) {
    const std::size_t lock_bytes = lock_bytes_for(scenario.mutex.kind);
    if (lock_bytes == 0 || mapping_layout(scenario.mapping.size, lock_bytes)) return;
    const std::uint64_t needed = min_mapping_size(lock_bytes);
    const YAML::Node size = mapping.node["size"];
    diag.error(size ? diag.pos(size) : mapping.pos,
               "mapping size " + std::to_string(scenario.mapping.size) +
                   " leaves no room for a message: mutex '" +
                   std::string(to_string(scenario.mutex.kind)) +
                   "' keeps its lock in the mapping (" + std::to_string(lock_bytes) +
                   " bytes); expected at least " + std::to_string(needed) + " bytes");
}

// The scenario's `name`: free text, but it names the case on every console line, in JUnit and
// JSON and (reduced to [A-Za-z0-9_-]) in the run directory's name, so a line break, an escape
// sequence or a NUL is refused rather than carried into them, and so is a name of any length.
std::optional<std::string> read_scenario_name(const Field& field, Diagnostics& diag) {
    std::optional<std::string> name = read_text(field, diag);
    if (!name) return std::nullopt;
    const auto control = std::find_if(name->begin(), name->end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    });
    if (name->size() > max_name_length)
        diag.error(field.pos, "scenario name is " + std::to_string(name->size()) +
                                  " characters long; expected at most " +
                                  std::to_string(max_name_length));
    else if (control != name->end())
        diag.error(field.pos, "scenario name '" + shown(*name) + "' contains '" +
                                  shown_char(*control) +
                                  "'; expected no control characters (it names the case in "
                                  "reports)");
    else
        return name;
    return std::nullopt;
}

Scenario read_scenario(const YAML::Node& root, const std::string& path, OpBudget& budget,
                       Diagnostics& diag) {
    Scenario scenario;
    scenario.path = path;
    scenario.name = std::filesystem::path(path).stem().string();
    const bool stress = read_kind(root, diag) == ScenarioKind::stress;
    const MapReader map(root,
                        stress ? std::span<const std::string_view>(stress_top_keys)
                               : std::span<const std::string_view>(top_keys),
                        stress ? "in a stress file (kind: stress)" : "at the top level", diag);
    if (const auto name = map.find("name"))
        scenario.name = read_scenario_name(*name, diag).value_or(scenario.name);
    if (const auto description = map.find("description"))
        scenario.description = read_string(*description, diag).value_or("");
    if (stress) {
        scenario.stress = read_stress(map, diag);
        if (const auto expect = map.find("expect"))
            scenario.expect.thresholds = read_stress_expect(*expect, diag);
        return scenario;
    }
    if (const auto timeout = map.find("timeout"))
        scenario.timeout_ns =
            read_duration(*timeout, ZeroDuration::rejected, diag).value_or(scenario.timeout_ns);
    if (const auto reuse = map.find("reuse"))
        scenario.reuse = read_bool(*reuse, diag).value_or(scenario.reuse);
    const auto mapping = map.find("mapping");
    if (mapping) scenario.mapping = read_mapping(*mapping, diag);
    const auto mutex = map.find("mutex");
    if (mutex) scenario.mutex = read_mutex(*mutex, diag);
    if (const auto permissions = map.find("permissions"))
        scenario.permissions = read_permissions(*permissions, diag).value_or(scenario.permissions);
    if (const auto agents = map.require("agents", "a list of agents"))
        scenario.agents = read_agents(*agents, path, budget, diag);
    if (const auto expect = map.find("expect"))
        scenario.expect = read_expect(*expect, scenario.agents, diag);
    check_group_mutexes(scenario, diag);
    check_references(scenario, diag);
    if (mutex) check_lock_file_name(scenario, *mutex, diag);
    if (mapping) check_mapping_room(scenario, *mapping, diag);
    return scenario;
}

// The top-level `matrix` entry, if the document has one (its first, if given twice: the
// duplicate is reported with the rest of the top level).
std::optional<MapReader::Entry> find_matrix(const YAML::Node& root, Diagnostics& diag) {
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (!it->first.IsScalar() || it->first.Scalar() != "matrix") continue;
        const SourcePos key_pos = diag.pos(it->first);
        // An empty value has no position of its own; its key does (as in MapReader).
        const SourcePos value_pos = it->second.IsNull() ? key_pos : diag.pos(it->second);
        return MapReader::Entry{"matrix", Field{"matrix", it->second, value_pos}, key_pos};
    }
    return std::nullopt;
}

// Sorts problems into file order, keeping the order of those at one position.
void sort_by_position(std::vector<ScenarioError>& errors) {
    std::stable_sort(errors.begin(), errors.end(), [](const auto& a, const auto& b) {
        return std::tie(a.pos.line, a.pos.column) < std::tie(b.pos.line, b.pos.column);
    });
}

// With a matrix or references that cannot be expanded, the rest of the file is still read, as
// written, for its other problems; what it says about the scalars holding references would only
// repeat the matrix's problems ("got ${agents}"), so those are dropped.
std::vector<ScenarioError>
problems_besides_references(const YAML::Node& root, const std::string& path,
                            const std::set<std::pair<int, int>>& reference_positions) {
    Diagnostics diag(path);
    OpBudget budget;
    read_scenario(root, path, budget, diag);
    std::vector<ScenarioError> kept;
    for (ScenarioError& error : diag.take_sorted())
        if (!reference_positions.contains({error.pos.line, error.pos.column}))
            kept.push_back(std::move(error));
    return kept;
}

// Each case: the text parsed afresh (a cheap, exact copy that keeps every position), its
// references replaced by the case's values, then read as any scenario.
LoadResult read_cases(const std::string& text, YAML::Node root, const Matrix& matrix,
                      const std::vector<MatrixCase>& cases, const std::string& path) {
    std::vector<Scenario> scenarios;
    std::vector<std::vector<ScenarioError>> per_case;
    bool any_errors = false;
    OpBudget budget; // the file's, all cases together
    for (std::size_t i = 0; i < cases.size(); ++i) {
        YAML::Node tree = i == 0 ? root : YAML::Load(text);
        substitute_references(tree, matrix, cases[i]);
        Diagnostics diag(path);
        Scenario scenario = read_scenario(tree, path, budget, diag);
        scenario.parameters = case_parameters(matrix, cases[i]);
        scenario.case_name = case_name(scenario.name, scenario.parameters);
        scenarios.push_back(std::move(scenario));
        per_case.push_back(diag.take_sorted());
        any_errors = any_errors || !per_case.back().empty();
    }
    if (any_errors) return merge_case_errors(matrix, cases, per_case);
    return scenarios;
}

LoadResult load_document(const std::string& text, const YAML::Node& root, const std::string& path,
                         Diagnostics& diag) {
    const std::optional<MapReader::Entry> matrix_entry = find_matrix(root, diag);
    std::optional<Matrix> matrix =
        matrix_entry ? read_matrix(*matrix_entry, diag) : std::optional<Matrix>(Matrix{});
    const auto reference_positions =
        check_references(root, matrix ? &*matrix : nullptr, matrix_entry.has_value(), diag);
    std::vector<MatrixCase> cases;
    if (matrix && !diag.has_errors()) cases = expand_matrix(*matrix, diag);
    if (!diag.has_errors()) return read_cases(text, root, *matrix, cases, path);
    std::vector<ScenarioError> errors = diag.take_sorted();
    for (ScenarioError& error : problems_besides_references(root, path, reference_positions))
        errors.push_back(std::move(error));
    sort_by_position(errors);
    return errors;
}

} // namespace

LoadResult load_scenario(const std::string& path) {
    Diagnostics diag(path);
    const std::optional<std::string> text = read_file(path, diag);
    if (!text) return diag.take_sorted();
    return load_scenario_text(*text, path);
}

LoadResult load_scenario_text(const std::string& text, const std::string& path) {
    Diagnostics diag(path);
    try {
        const std::optional<YAML::Node> root = read_document(text, diag);
        if (root) return load_document(text, *root, path, diag);
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
