// conformance.json: the platform, the matrix (each cell with its evidence link) and every case,
// in the order a reader wants them. Strings from scenarios and agents go through json_text.
#include "conformance/report.hpp"
#include "text.hpp"

#include <nlohmann/json.hpp>

namespace ipch::conformance {

namespace {

using Json = nlohmann::ordered_json;

Json platform_json(const Platform& platform) {
    return Json{{"kernel", json_text(platform.kernel)},
                {"libc", platform.libc},
                {"boost", platform.boost},
                {"cpu", json_text(platform.cpu)},
                {"cores", platform.cores},
                {"tool_version", platform.tool_version}};
}

Json optional_text(const std::string& text) {
    return text.empty() ? Json(nullptr) : Json(json_text(text));
}

Json cell_json(const Cell& cell) {
    return Json{{"state", cell.state.empty() ? Json(nullptr) : Json(cell.state)},
                {"detail", json_text(cell.detail)},
                {"cases", cell.cases},
                {"case", optional_text(cell.case_name)},
                {"run_dir", optional_text(cell.run_dir)}};
}

Json matrix_json(const Matrix& matrix) {
    Json rows = Json::object();
    for (std::size_t row = 0; row < matrix.backends.size(); ++row) {
        Json cells = Json::object();
        for (std::size_t column = 0; column < matrix.properties.size(); ++column)
            cells[matrix.properties[column]] = cell_json(matrix.cells[row][column]);
        rows[backend_name(matrix.backends[row])] = std::move(cells);
    }
    return rows;
}

Json case_json(const CaseRun& run) {
    Json properties = Json::array();
    for (const PropertyOutcome& p : run.result.properties)
        properties.push_back(Json{{"id", p.result.id},
                                  {"verdict", to_string(p.result.verdict)},
                                  {"requirement", to_string(p.requirement)},
                                  {"met", p.met},
                                  {"detail", json_text(p.result.detail)}});
    Json messages = Json::array();
    for (const std::string& message : run.result.messages)
        messages.push_back(json_text(message));
    return Json{{"name", json_text(run.result.name)},
                {"path", json_text(run.result.path)},
                {"backend", backend_name(run.backend)},
                {"property", run.property},
                {"state", run.verdict.state},
                {"detail", json_text(run.verdict.detail)},
                {"outcome", outcome_info(run.result.outcome).name},
                {"run_id", run.result.run_id},
                {"run_dir", optional_text(run.verdict.run_dir)},
                {"seed", run.result.seed ? Json(*run.result.seed) : Json(nullptr)},
                {"duration_s", run.result.duration_s},
                {"messages", std::move(messages)},
                {"properties", std::move(properties)}};
}

} // namespace

void write_json(std::ostream& out, const Report& report) {
    Json backends = Json::array();
    for (const Backend& backend : report.matrix.backends)
        backends.push_back(backend_name(backend));
    Json cases = Json::array();
    for (const CaseRun& run : report.runs)
        cases.push_back(case_json(run));
    const Json document{{"tool", "ipc-harness conformance"},
                        {"suite", json_text(report.suite)},
                        {"started_utc", report.started_utc},
                        {"duration_s", report.duration_s},
                        {"interrupted", report.interrupted()},
                        {"seed", report.seed},
                        {"shard", report.shard.empty() ? Json(nullptr) : Json(report.shard)},
                        {"platform", platform_json(report.platform)},
                        {"backends", std::move(backends)},
                        {"properties", report.matrix.properties},
                        {"matrix", matrix_json(report.matrix)},
                        {"cases", std::move(cases)}};
    out << document.dump(2) << "\n";
}

} // namespace ipch::conformance
