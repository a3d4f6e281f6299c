#include "run/run_dir.hpp"

#include "ipch/mapping_layout.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace ipch {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<AgentEnd> end_named(const std::string& name) {
    for (const AgentEnd end :
         {AgentEnd::finished, AgentEnd::error_exit, AgentEnd::crashed, AgentEnd::killed_at_timeout,
          AgentEnd::killed_by_harness, AgentEnd::not_started})
        if (to_string(end) == name) return end;
    return std::nullopt;
}

std::vector<fs::path> plan_files(const fs::path& run_dir) {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const fs::directory_entry& entry : fs::directory_iterator(run_dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.size() > 10 && name.ends_with(".plan.json")) files.push_back(entry.path());
    }
    if (ec) throw std::runtime_error(run_dir.string() + ": " + ec.message());
    return files;
}

AgentPlan read_plan(const fs::path& file) {
    const std::string text = slurp(file);
    try {
        return plan_from_json(text);
    } catch (const std::exception& e) {
        throw std::runtime_error(file.string() + ": not a plan file: " + e.what());
    }
}

AgentHistory read_events(const fs::path& run_dir, const AgentPlan& plan) {
    const std::string log = (run_dir / plan.log_path).string();
    AgentHistory history = plan.log_format == LogFormat::jsonl
                               ? read_agent_jsonl(log, plan.agent_id)
                               : read_agent_log(log, plan.agent_id);
    history.name = plan.agent_name;
    history.group = plan.group;
    history.op_labels = op_labels(plan);
    // Until agents.json says otherwise: what the log itself says of its end.
    history.end =
        history.log_status == LogStatus::finished ? AgentEnd::finished : AgentEnd::crashed;
    return history;
}

// Applies agents.json; false (with a note) when it is missing or unreadable.
void apply_agent_ends(const fs::path& file, History& history, std::vector<std::string>& notes) {
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        notes.push_back(std::string("no ") + agent_ends_file +
                        ": an agent whose event log says it finished counts as finished, any "
                        "other as crashed");
        return;
    }
    try {
        const Json ends = Json::parse(slurp(file));
        for (const Json& entry : ends.at("agents")) {
            const auto id = entry.at("agent_id").get<std::uint32_t>();
            const auto agent =
                std::find_if(history.agents.begin(), history.agents.end(),
                             [&](const AgentHistory& a) { return a.agent_id == id; });
            const std::optional<AgentEnd> end = end_named(entry.at("end").get<std::string>());
            if (agent == history.agents.end() || !end) continue;
            agent->end = *end;
            agent->exit_code = entry.at("exit_code").get<int>();
            agent->signal = entry.at("signal").get<int>();
            if (entry.contains("released") && !entry.at("released").is_null())
                agent->released = entry.at("released").get<bool>();
            agent->current_op = entry.value("current_op", 0u);
        }
    } catch (const std::exception& e) {
        notes.push_back(file.string() + " could not be read (" + e.what() +
                        "): agents' ends are taken from their event logs");
    }
}

} // namespace

bool write_agent_ends(const fs::path& run_dir, const History& history) {
    Json agents = Json::array();
    for (const AgentHistory& agent : history.agents)
        agents.push_back({{"agent_id", agent.agent_id},
                          {"name", agent.name},
                          {"end", to_string(agent.end)},
                          {"exit_code", agent.exit_code},
                          {"signal", agent.signal},
                          {"released", agent.released ? Json(*agent.released) : Json()},
                          {"current_op", agent.current_op}});
    std::ofstream out(run_dir / agent_ends_file);
    // Names are the scenario's: invalid UTF-8 is replaced rather than refused.
    out << Json{{"agents", agents}}.dump(2, ' ', false, Json::error_handler_t::replace) << "\n";
    return static_cast<bool>(out.flush());
}

LoadedRun load_run_dir(const fs::path& run_dir) {
    std::error_code ec;
    if (!fs::is_directory(run_dir, ec))
        throw std::runtime_error(run_dir.string() + ": not a directory");
    LoadedRun run;
    for (const fs::path& file : plan_files(run_dir))
        run.plan.agents.push_back(read_plan(file));
    if (run.plan.agents.empty())
        throw std::runtime_error(run_dir.string() +
                                 ": no agent plans (*.plan.json); not a run directory");
    std::sort(run.plan.agents.begin(), run.plan.agents.end(),
              [](const AgentPlan& x, const AgentPlan& y) { return x.agent_id < y.agent_id; });
    for (std::size_t i = 0; i < run.plan.agents.size(); ++i)
        if (run.plan.agents[i].agent_id != i + 1)
            throw std::runtime_error(run_dir.string() + ": agent plans are not numbered 1.." +
                                     std::to_string(run.plan.agents.size()) + " (agent " +
                                     std::to_string(i + 1) + " is missing)");
    const AgentPlan& first = run.plan.agents.front();
    run.plan.run_id = first.run_id;
    run.plan.run_dir = run_dir;
    run.plan.mutex_kind = first.mutex_kind;
    run.plan.mapping_size = first.mapping_size;
    run.plan.lock_bytes = first.lock_bytes;
    for (const AgentPlan& plan : run.plan.agents)
        run.history.agents.push_back(read_events(run_dir, plan));
    if (const auto layout = mapping_layout(first.mapping_size, first.lock_bytes))
        run.history.payload_capacity = layout->capacity;
    run.history.mutex_kind = first.mutex_kind;
    apply_agent_ends(run_dir / agent_ends_file, run.history, run.notes);
    return run;
}

} // namespace ipch
