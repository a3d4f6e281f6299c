// spawn: what starting agents through the harness costs (issue 6, "spawn: 64 agents spawned and
// released by the barrier vs 64 bare posix_spawn + wait in the same run: <= 1.3x").
//
// The harness side is the real run pipeline on a minimal plan: make_plan, write_plan_files and
// run_agents for 64 ipc-agent processes that each open the mapping and mutex, pass the start
// barrier and run one op, `sleep: 0s`. Its time runs from make_plan to run_agents' return (every
// agent reaped, its log read, every named object removed). The baselines, in the same process
// run, spawn 64 processes with posix_spawn (output to /dev/null) and wait for them all: the same
// ipc-agent binary doing nothing (`ipc-agent --help`: it prints its usage and exits), and
// /bin/true. Repeats alternate the three; the figures are medians.
//
// The barrier's release skew is max - min over the agents of their first op's start (the sleep
// event's t_requested, CLOCK_MONOTONIC, the same clock in every process): how far apart the
// agents really started once released.
//
// Figures only, never a verdict on time.
//
//   bench_spawn [--agents N] [--repeat K]      defaults: 64 agents, 11 repeats
#include "bench_common.hpp"
#include "plan.hpp"
#include "run.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace ipch;
using namespace ipch::bench;

namespace {

struct Options {
    std::uint32_t agents = 64;
    int repeat = 11;
};

// 64 processes of `argv`, output to /dev/null, started one after another and then all waited
// for. Returns the seconds it took; throws if one could not start or did not exit 0 (or, for
// `ipc-agent --help`, 2: its usage exit).
double spawn_and_wait(const std::vector<std::string>& args, std::uint32_t count,
                      int expected_exit) {
    std::vector<char*> argv;
    for (const std::string& arg : args)
        argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<pid_t> pids;
    const std::uint64_t start = monotonic_ns();
    for (std::uint32_t i = 0; i < count; ++i) {
        pid_t pid = 0;
        if (const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
            rc != 0) {
            posix_spawn_file_actions_destroy(&actions);
            throw std::runtime_error("posix_spawn " + args[0] + ": " + std::strerror(rc));
        }
        pids.push_back(pid);
    }
    bool all_as_expected = true;
    for (const pid_t pid : pids) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        all_as_expected &= WIFEXITED(status) && WEXITSTATUS(status) == expected_exit;
    }
    const std::uint64_t end = monotonic_ns();
    posix_spawn_file_actions_destroy(&actions);
    if (!all_as_expected) throw std::runtime_error(args[0] + " did not exit as expected");
    return static_cast<double>(end - start) / 1e9;
}

Scenario minimal_scenario(std::uint32_t agents) {
    Scenario scenario;
    scenario.path = "<bench_spawn>";
    scenario.name = scenario.case_name = "bench-spawn";
    scenario.timeout_ns = 60'000'000'000;
    AgentSpec agent;
    agent.name = "agent";
    agent.count = agents;
    OpSpec sleep;
    sleep.kind = OpKind::sleep; // duration 0: the op starts and ends at once
    agent.ops.push_back(sleep);
    scenario.agents.push_back(std::move(agent));
    return scenario;
}

struct PipelineRun {
    double total_s = 0;      // make_plan .. run_agents' return
    double run_agents_s = 0; // run_agents alone
    double skew_s = 0;       // max - min first-op start
    std::size_t finished = 0;
};

// The first op's start: the first event after the open at start.
std::optional<std::uint64_t> first_op_start(const AgentHistory& agent) {
    for (const EventRecord& event : agent.events)
        if (event.kind != OpKind::open) return event.t_requested;
    return std::nullopt;
}

PipelineRun run_pipeline(std::uint32_t agents, const fs::path& scratch, int repeat) {
    PipelineRun result;
    const fs::path run_dir = scratch / ("run-" + std::to_string(repeat));
    const std::uint64_t start = monotonic_ns();
    Plan plan = make_plan(minimal_scenario(agents), new_run_id(), run_dir, random_run_seed());
    write_plan_files(plan);
    const std::uint64_t spawn = monotonic_ns();
    RunReport report = run_agents(plan, RunOptions{default_agent_exe()});
    const std::uint64_t end = monotonic_ns();
    if (report.could_not_run)
        throw std::runtime_error("the run could not run: " +
                                 (report.errors.empty() ? "?" : report.errors.front()));
    result.total_s = static_cast<double>(end - start) / 1e9;
    result.run_agents_s = static_cast<double>(end - spawn) / 1e9;
    std::uint64_t first = UINT64_MAX, last = 0;
    for (const AgentHistory& agent : report.history.agents) {
        result.finished += agent.end == AgentEnd::finished;
        if (const auto t = first_op_start(agent)) {
            first = std::min(first, *t);
            last = std::max(last, *t);
        }
    }
    result.skew_s = last >= first ? static_cast<double>(last - first) / 1e9 : 0;
    std::error_code ec;
    fs::remove_all(run_dir, ec);
    return result;
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--agents" && i + 1 < argc)
            options.agents = static_cast<std::uint32_t>(std::stoul(argv[++i]));
        else if (arg == "--repeat" && i + 1 < argc)
            options.repeat = std::stoi(argv[++i]);
        else
            throw std::invalid_argument("usage: bench_spawn [--agents N] [--repeat K]");
    }
    if (options.agents < 1 || options.agents > max_agents || options.repeat < 1)
        throw std::invalid_argument("--agents 1..256, --repeat >= 1");
    return options;
}

int run(const Options& options) {
    const std::string agent = default_agent_exe().string();
    ScratchDir scratch("spawn");
    std::printf("bench_spawn: %u agents, %d repeats (medians below); agent %s\n", options.agents,
                options.repeat, agent.c_str());
    std::printf("%-4s %14s %14s %14s %14s %12s\n", "rep", "ipc-agent", "/bin/true", "pipeline",
                "run_agents", "skew");
    std::vector<double> bare, truth, pipeline, run_only, skew;
    for (int rep = 1; rep <= options.repeat; ++rep) {
        bare.push_back(spawn_and_wait({agent, "--help"}, options.agents, 2));
        truth.push_back(spawn_and_wait({"/bin/true"}, options.agents, 0));
        const PipelineRun run = run_pipeline(options.agents, scratch.path(), rep);
        if (run.finished != options.agents)
            std::printf("  (repeat %d: only %zu of %u agents finished)\n", rep, run.finished,
                        options.agents);
        pipeline.push_back(run.total_s);
        run_only.push_back(run.run_agents_s);
        skew.push_back(run.skew_s);
        std::printf("%-4d %14s %14s %14s %14s %12s\n", rep, seconds_text(bare.back()).c_str(),
                    seconds_text(truth.back()).c_str(), seconds_text(pipeline.back()).c_str(),
                    seconds_text(run_only.back()).c_str(), seconds_text(skew.back()).c_str());
    }
    const double m_bare = median(bare), m_true = median(truth), m_pipe = median(pipeline);
    std::printf("\nmedian, %u agents:\n", options.agents);
    std::printf("  posix_spawn + waitpid, ipc-agent --help : %s\n", seconds_text(m_bare).c_str());
    std::printf("  posix_spawn + waitpid, /bin/true        : %s\n", seconds_text(m_true).c_str());
    std::printf("  harness pipeline (make_plan .. run_agents, sleep 0s each): %s (run_agents "
                "alone %s)\n",
                seconds_text(m_pipe).c_str(), seconds_text(median(run_only)).c_str());
    std::printf("  ratio pipeline / bare ipc-agent spawn: %.2fx (target <= 1.3x)\n",
                m_pipe / m_bare);
    std::printf("  ratio pipeline / bare /bin/true spawn: %.2fx\n", m_pipe / m_true);
    std::printf("  barrier release skew (max - min first-op start): median %s, worst %s\n",
                seconds_text(median(skew)).c_str(),
                seconds_text(*std::max_element(skew.begin(), skew.end())).c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main("bench_spawn", argc, argv, parse, run);
}
