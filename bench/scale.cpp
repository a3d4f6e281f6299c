// scale: many agents for a while on a small machine (issue 6: "64 agents x 5 s on this 2-core
// machine completes; memory per agent reported").
//
// One stress case through the run pipeline (stress::stress_scenario, make_plan, run_agents,
// check_history, stress::measure): 64 ipc-agent processes repeating `write: {size: 64}` under
// named_mutex for 5 s, full timing mode. Printed: wall time (make_plan .. run_agents' return,
// and the check), sections (all agents, and the fewest / median / most per agent), acq/s, the
// verdicts, memory per agent and event log bytes per agent.
//
// Memory per agent, two ways:
//   - while they run: a thread reads every agent's /proc/PID/status (its parent is this process
//     and its name ipc-agent) every 50 ms and keeps the last VmHWM (peak resident set) seen, and
//     the RssAnon / RssFile / RssShmem of that sample. RssFile counts the pages of the agent's own
//     memory-mapped event log it has written, so it grows with the run; RssAnon is the agent's
//     heap and stacks. The last sample may be up to 50 ms before the agent's end.
//   - after: getrusage(RUSAGE_CHILDREN).ru_maxrss, the peak of the largest child (one figure).
// Event log bytes: each log file's size (preallocated, doubled when full) and the bytes its
// committed records take (256-byte header + 96 bytes per event).
//
// Figures only, never a verdict on time.
//
//   bench_scale [--agents N] [--duration SECONDS] [--backend KIND]   defaults: 64, 5, named_mutex
#include "bench_common.hpp"
#include "check.hpp"
#include "run.hpp"
#include "stress/stress.hpp"

#include <atomic>
#include <charconv>
#include <dirent.h>
#include <fstream>
#include <map>
#include <mutex>
#include <sys/resource.h>
#include <thread>
#include <unistd.h>

using namespace ipch;
using namespace ipch::bench;

namespace {

struct Options {
    std::uint32_t agents = 64;
    double duration_s = 5;
    MutexKind backend = MutexKind::named_mutex;
};

// What one /proc/PID/status read found, in bytes.
struct MemorySample {
    std::uint64_t hwm = 0, rss_anon = 0, rss_file = 0, rss_shmem = 0;
};

std::uint64_t kib_field(const std::string& line) {
    std::uint64_t kib = 0;
    const auto start = line.find_first_of("0123456789");
    if (start != std::string::npos)
        std::from_chars(line.data() + start, line.data() + line.size(), kib);
    return kib * 1024;
}

// The sample of `pid` if it is one of our ipc-agent children.
std::optional<MemorySample> read_agent_status(const std::string& pid, pid_t parent) {
    std::ifstream in("/proc/" + pid + "/status");
    std::string line;
    MemorySample sample;
    bool ours = false, agent = false;
    while (std::getline(in, line)) {
        if (line.rfind("Name:", 0) == 0) agent = line.find("ipc-agent") != std::string::npos;
        if (line.rfind("PPid:", 0) == 0) ours = std::stol(line.substr(5)) == parent;
        if (line.rfind("VmHWM:", 0) == 0) sample.hwm = kib_field(line);
        if (line.rfind("RssAnon:", 0) == 0) sample.rss_anon = kib_field(line);
        if (line.rfind("RssFile:", 0) == 0) sample.rss_file = kib_field(line);
        if (line.rfind("RssShmem:", 0) == 0) sample.rss_shmem = kib_field(line);
    }
    if (!ours || !agent || sample.hwm == 0) return std::nullopt;
    return sample;
}

// Samples the agents' memory while they run; keeps each one's last sample (VmHWM only grows).
class MemorySampler {
  public:
    MemorySampler() : thread_([this] { loop(); }) {}
    MemorySampler(const MemorySampler&) = delete;
    MemorySampler& operator=(const MemorySampler&) = delete;
    ~MemorySampler() { stop(); }
    void stop() {
        stop_.store(true);
        if (thread_.joinable()) thread_.join();
    }
    std::map<int, MemorySample> samples() {
        std::lock_guard lock(mutex_);
        return samples_;
    }

  private:
    void loop() {
        const pid_t self = ::getpid();
        while (!stop_.load()) {
            sample_once(self);
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    void sample_once(pid_t self) {
        DIR* proc = ::opendir("/proc");
        if (!proc) return;
        while (const dirent* entry = ::readdir(proc)) {
            if (entry->d_name[0] < '1' || entry->d_name[0] > '9') continue;
            if (const auto sample = read_agent_status(entry->d_name, self)) {
                std::lock_guard lock(mutex_);
                samples_[std::atoi(entry->d_name)] = *sample;
            }
        }
        ::closedir(proc);
    }

    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::map<int, MemorySample> samples_;
    std::thread thread_;
};

template <class Field>
std::vector<std::uint64_t> field_of(const std::map<int, MemorySample>& samples, Field field) {
    std::vector<std::uint64_t> values;
    for (const auto& [pid, sample] : samples)
        values.push_back(sample.*field);
    return values;
}

void print_spread(const char* what, const std::vector<std::uint64_t>& bytes) {
    if (bytes.empty()) return (void)std::printf("  %-28s -\n", what);
    std::printf(
        "  %-28s median %10s   min %10s   max %10s\n", what, bytes_text(median(bytes)).c_str(),
        bytes_text(static_cast<double>(*std::min_element(bytes.begin(), bytes.end()))).c_str(),
        bytes_text(static_cast<double>(*std::max_element(bytes.begin(), bytes.end()))).c_str());
}

MutexKind mutex_kind_named(std::string_view name) {
    for (const MutexKind kind : all_mutex_kinds)
        if (to_string(kind) == name) return kind;
    throw std::invalid_argument("--backend: '" + std::string(name) + "' is not a mutex kind");
}

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--agents" && i + 1 < argc) {
            options.agents = static_cast<std::uint32_t>(std::stoul(argv[++i]));
        } else if (arg == "--duration" && i + 1 < argc) {
            options.duration_s = std::stod(argv[++i]);
        } else if (arg == "--backend" && i + 1 < argc) {
            options.backend = mutex_kind_named(argv[++i]);
        } else {
            throw std::invalid_argument(
                "usage: bench_scale [--agents N] [--duration SECONDS] [--backend KIND]");
        }
    }
    if (options.agents < 1 || options.agents > max_agents || options.duration_s <= 0)
        throw std::invalid_argument("--agents 1..256, --duration > 0");
    return options;
}

int run(const Options& options) {
    ScratchDir scratch("scale");
    stress::StressConfig config;
    config.backends = {options.backend};
    config.agents = {options.agents};
    config.duration_ns = static_cast<std::uint64_t>(options.duration_s * 1e9);
    const stress::CaseKey key{options.backend, options.agents, 1};
    std::printf("bench_scale: %u agents x %.3g s, %s, write 64 bytes per section, full timing "
                "mode; run directory under %s\n",
                options.agents, options.duration_s, std::string(to_string(options.backend)).c_str(),
                scratch.path().c_str());

    const std::uint64_t start = monotonic_ns();
    Plan plan = make_plan(stress::stress_scenario(config, key), new_run_id(),
                          scratch.path() / "run", random_run_seed());
    write_plan_files(plan);
    MemorySampler sampler;
    RunReport report = run_agents(plan, RunOptions{default_agent_exe()});
    const std::uint64_t ran = monotonic_ns();
    sampler.stop();
    if (report.could_not_run) {
        std::printf("could not run: %s\n", report.errors.empty() ? "?" : report.errors[0].c_str());
        return 3;
    }
    rusage children{};
    ::getrusage(RUSAGE_CHILDREN, &children);

    const std::vector<PropertyResult> verdicts = check_history(report.history);
    std::vector<std::vector<std::uint32_t>> measured;
    for (const AgentPlan& agent : plan.agents)
        measured.push_back(stress::measured_op_ids(agent));
    const stress::CaseFigures figures = stress::measure(report.history, measured);
    const std::uint64_t checked = monotonic_ns();

    std::size_t finished = 0;
    std::vector<std::uint64_t> file_bytes, record_bytes;
    for (const AgentHistory& agent : report.history.agents) {
        finished += agent.end == AgentEnd::finished;
        record_bytes.push_back(event_log_offset(agent.events.size()));
    }
    for (const AgentPlan& agent : plan.agents) {
        std::error_code ec;
        const auto size = fs::file_size(plan.run_dir / agent.log_path, ec);
        file_bytes.push_back(ec ? 0 : size);
    }
    std::string failed, passed;
    for (const PropertyResult& verdict : verdicts) {
        std::string& list = verdict.verdict == Verdict::fail ? failed : passed;
        if (verdict.verdict == Verdict::fail || verdict.verdict == Verdict::pass)
            list += (list.empty() ? "" : ",") + verdict.id;
    }

    std::printf("completed: %zu of %u agents finished\n", finished, options.agents);
    std::printf("  wall time: %s (make_plan .. run_agents' return), then %s to check and measure\n",
                seconds_text(static_cast<double>(ran - start) / 1e9).c_str(),
                seconds_text(static_cast<double>(checked - ran) / 1e9).c_str());
    std::printf("  sections: %s (%llu), %s/s; per agent fewest %s, median %s, most %s; Jain "
                "fairness %.3f\n",
                count_text(static_cast<double>(figures.acquisitions)).c_str(),
                static_cast<unsigned long long>(figures.acquisitions),
                count_text(figures.throughput.value_or(0)).c_str(),
                count_text(static_cast<double>(*std::min_element(figures.per_agent.begin(),
                                                                 figures.per_agent.end())))
                    .c_str(),
                count_text(median(figures.per_agent)).c_str(),
                count_text(static_cast<double>(*std::max_element(figures.per_agent.begin(),
                                                                 figures.per_agent.end())))
                    .c_str(),
                figures.jain.value_or(0));
    std::printf("  verdicts: pass %s; fail %s\n", passed.c_str(),
                failed.empty() ? "none" : failed.c_str());
    const auto samples = sampler.samples();
    std::printf("memory per agent, /proc/PID/status while running (%zu agents sampled, last "
                "sample of each):\n",
                samples.size());
    print_spread("VmHWM (peak RSS)", field_of(samples, &MemorySample::hwm));
    print_spread("RssAnon (heap, stacks)", field_of(samples, &MemorySample::rss_anon));
    print_spread("RssFile (binary, libs, log)", field_of(samples, &MemorySample::rss_file));
    print_spread("RssShmem (shm mapping, sem)", field_of(samples, &MemorySample::rss_shmem));
    std::printf("  getrusage(RUSAGE_CHILDREN) ru_maxrss after the run (largest child): %s\n",
                bytes_text(static_cast<double>(children.ru_maxrss) * 1024).c_str());
    std::printf("event log bytes per agent:\n");
    print_spread("file size", file_bytes);
    print_spread("committed records", record_bytes);
    return failed.empty() && finished == options.agents ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main("bench_scale", argc, argv, parse, run);
}
