#include "stress/run_case.hpp"

#include "report_files.hpp"
#include "run.hpp"

#include <algorithm>
#include <boost/process/search_path.hpp>
#include <sched.h>

namespace ipch::stress {

namespace fs = std::filesystem;

namespace {

std::string folder_name(const CaseKey& key) {
    return std::string(to_string(key.backend)) + "-" + std::to_string(key.agents) + "-" +
           std::to_string(key.repeat);
}

// Pinning wraps each agent in taskset (util-linux) rather than teaching the run's spawner about
// affinity: the agent is exec'd by taskset with its own pid, log and plan, as without it.
std::optional<std::string> pin_agents(Plan& plan, const fs::path& agent_exe) {
    const fs::path taskset = boost::process::search_path("taskset").string();
    if (taskset.empty()) return "--pin needs taskset (util-linux), which is not on the PATH";
    const std::vector<int> cpus = allowed_cpus();
    plan.commands.resize(plan.agents.size());
    for (std::size_t i = 0; i < plan.agents.size(); ++i)
        plan.commands[i] = pinned_command(taskset, cpus, i, agent_exe);
    return std::nullopt;
}

// The records a sampled agent's log starts with room for, which the agent makes present before
// its run starts (agents/src/event_recorder.hpp), so that its stamped sections do not fault the
// log's pages in inside the measured loop (the bare loop it is compared with has no log): one
// record per K sections at the rate of a lone agent on a fast machine (about 50 M sections/s),
// twice an even share of it each with several agents, at most 64 MiB of records. A log that needs
// more grows as every log does.
std::uint64_t sampled_log_records(const StressConfig& config, std::size_t agents) {
    constexpr double most_sections_per_s = 50e6;
    constexpr std::uint64_t most_records = (64u << 20) / sizeof(EventRecord);
    const double seconds = static_cast<double>(config.warmup_ns + config.duration_ns) / 1e9;
    const double share = agents > 1 ? 2.0 / static_cast<double>(agents) : 1.0;
    const double records = seconds * most_sections_per_s * share / config.sample_every;
    return records >= static_cast<double>(most_records) ? most_records
                                                        : static_cast<std::uint64_t>(records);
}

void set_timing(Plan& plan, const StressConfig& config) {
    const bool sampled = config.timing == TimingMode::sampled && config.sample_every > 1;
    for (AgentPlan& agent : plan.agents) {
        agent.timing = config.timing;
        agent.sample_every = config.timing == TimingMode::sampled ? config.sample_every : 1;
        agent.clock = config.clock;
        if (sampled)
            agent.log_capacity =
                std::max(agent.log_capacity, sampled_log_records(config, plan.agents.size()));
    }
}

// Times from the TSC may be off CLOCK_MONOTONIC by as much as each agent's log states: the
// checker compares times across agents with that much slack, so that a conversion error is never
// taken for an overlap.
CheckOptions check_options_for(const History& history) {
    CheckOptions options;
    options.tolerance_ns = clock_tolerance_ns(history.agents);
    return options;
}

std::vector<std::vector<std::uint32_t>> measured_ops(const Plan& plan) {
    std::vector<std::vector<std::uint32_t>> measured;
    for (const AgentPlan& agent : plan.agents)
        measured.push_back(measured_op_ids(agent));
    return measured;
}

// How each agent ended, as `run`'s reports list them.
void summarize_agents(const History& history, StressCase& result) {
    for (const AgentHistory& agent : history.agents) {
        result.events += agent.events.size();
        result.agents.push_back(AgentSummary{agent.agent_id, agent.name, agent.end, agent.exit_code,
                                             agent.signal, agent.events.size(), agent.log_damage});
    }
}

} // namespace

std::vector<int> allowed_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    std::vector<int> cpus;
    if (::sched_getaffinity(0, sizeof set, &set) == 0)
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
            if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
    if (cpus.empty()) cpus.push_back(0);
    return cpus;
}

std::vector<std::string> pinned_command(const fs::path& taskset, const std::vector<int>& cpus,
                                        std::size_t index, const fs::path& agent_exe) {
    return {taskset.string(), "-c", std::to_string(cpus.at(index % cpus.size())),
            agent_exe.string()};
}

StressCase run_case(const StressConfig& config, const CaseKey& key, const RunSettings& settings) {
    StressCase result;
    result.key = key;
    result.started_utc = utc_now();
    const auto started = std::chrono::steady_clock::now();
    const std::string run_id = new_run_id();
    result.run_id = run_id;
    const fs::path run_dir =
        fs::absolute(settings.out_dir) / "runs" / (folder_name(key) + "-" + run_id);
    Plan plan;
    RunReport run;
    try {
        plan = make_plan(stress_scenario(config, key), run_id, run_dir, random_run_seed());
        set_timing(plan, config);
        if (config.pin)
            if (auto failure = pin_agents(plan, settings.agent_exe))
                throw std::runtime_error(*failure);
        write_plan_files(plan);
        run = run_agents(plan, RunOptions{settings.agent_exe});
    } catch (const std::exception& e) {
        run.could_not_run = true;
        run.errors.push_back(e.what());
    }
    result.could_not_run = run.could_not_run;
    result.errors = run.errors;
    if (!run.could_not_run) {
        result.verdicts = check_history(run.history, check_options_for(run.history));
        result.figures = measure(run.history, measured_ops(plan));
        result.clock = case_clock(run.history);
        summarize_agents(run.history, result);
    }
    result.duration_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.run_dir = run_dir.string();
    // A failed case keeps its plans, logs and agents' output for the user, as `run` does.
    if (case_outcome(result) == "ok" && !settings.keep_run_dirs) {
        std::error_code ec;
        fs::remove_all(run_dir, ec);
        fs::remove(run_dir.parent_path(), ec); // only if empty
        result.run_dir.clear();
    }
    return result;
}

std::string case_outcome(const StressCase& stress_case) {
    if (stress_case.could_not_run) return "could-not-run";
    return failed_properties(stress_case).empty() ? "ok" : "fail";
}

std::string failed_properties(const StressCase& stress_case) {
    std::string ids;
    for (const PropertyResult& verdict : stress_case.verdicts)
        if (verdict.verdict == Verdict::fail) ids += (ids.empty() ? "" : ",") + verdict.id;
    return ids;
}

} // namespace ipch::stress
