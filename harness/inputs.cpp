#include "inputs.hpp"

#include "text.hpp"

#include <algorithm>
#include <filesystem>
#include <variant>

namespace ipch {

namespace fs = std::filesystem;

namespace {

bool is_scenario_file(const fs::path& path) {
    return path.extension() == ".yaml" || path.extension() == ".yml";
}

ScenarioResult bad_input(const std::string& file, const std::vector<ScenarioError>& errors,
                         std::ostream& out) {
    ScenarioResult result;
    result.path = file;
    result.name = file;
    result.outcome = ScenarioOutcome::bad_input;
    for (const ScenarioError& error : errors) {
        result.messages.push_back(format_error(error));
        // The file's own text is quoted in messages: on a terminal it must not be able to
        // reorder or recolour the line (a U+202E, an escape). The reports sanitize for theirs.
        out << console_text(result.messages.back()) << "\n";
    }
    return result;
}

} // namespace

std::vector<std::string> discover(const std::vector<std::string>& paths) {
    std::vector<std::string> files;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (!fs::is_directory(path, ec)) {
            files.push_back(path);
            continue;
        }
        // An unreadable folder below is skipped, and an error mid-walk ends the walk: neither
        // may take the harness down (the error_code forms never throw).
        std::vector<std::string> found;
        fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied,
                                            ec);
        for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code type_error;
            if (it->is_regular_file(type_error) && is_scenario_file(it->path()))
                found.push_back(it->path().string());
        }
        std::sort(found.begin(), found.end());
        files.insert(files.end(), found.begin(), found.end());
    }
    return files;
}

Inputs load_inputs(const std::vector<std::string>& paths, std::ostream& errors) {
    Inputs inputs;
    for (const std::string& file : discover(paths)) {
        ++inputs.files;
        LoadResult loaded = load_scenario(file);
        if (auto* cases = std::get_if<std::vector<Scenario>>(&loaded)) {
            for (Scenario& scenario : *cases)
                inputs.cases.push_back(std::move(scenario));
        } else {
            inputs.bad.push_back(
                bad_input(file, std::get<std::vector<ScenarioError>>(loaded), errors));
        }
    }
    return inputs;
}

} // namespace ipch
