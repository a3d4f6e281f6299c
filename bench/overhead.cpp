// overhead: what the harness's measurement costs against the same primitive in a hand-written
// loop (issue 6: "the harness-driven loop vs a hand-written loop of the same primitive in the same
// run ... at N = 1 and 4").
//
// Four loops of {lock named_mutex; write 64 bytes into a shared mapping; unlock}, N processes
// each, for the same duration, in the same process run; repeats alternate them (each pair in
// one order on odd repeats, the other on even ones):
//   full          the `ipc-harness stress --timing full` case (stress::run_case: make_plan,
//                 run_agents, check_history, measure): N ipc-agent processes repeating
//                 `write: {size: 64}` under named_mutex, every op stamped (requested, acquired,
//                 released) and one 96-byte event recorded. Acquisitions are counted from the
//                 history; acq/s over first acquire .. last release (docs/stress.md).
//   hand-stamped  N forked processes, each looping: a clock read, lock, a clock read, the write,
//                 the lock-order stamp, a clock read, unlock (the two reads inside converted to
//                 ns after it, as the agent's are), then one 96-byte EventRecord
//                 appended to its own mmap'd file (posix_fallocate'd, doubled when full, populated
//                 ahead, the count published with release order: the agent's recorder, written
//                 by hand). The clock
//                 is the agent's (agents/src/clock.hpp): the TSC calibrated to CLOCK_MONOTONIC
//                 where it is invariant, as the agents' (--clock monotonic for clock_gettime).
//   sampled       the `ipc-harness stress --timing sampled:K` case (K = 64 unless --sample):
//                 every K-th section stamped and recorded, all counted.
//   bare          the hand loop with no stamping and no record at all.
// Targets (issue 6): full / hand-stamped >= 0.9x, sampled / bare >= 0.9x.
// Hand loops: boost::interprocess::named_mutex (the agent's named_mutex kind) and a POSIX shm
// mapping, both named ipch-bench-PID-* and removed at the end. acq/s = all loops' iterations over
// the first loop's start .. the last loop's end (two clock reads per process, not per op).
//
// Pinning (on by default, --no-pin): loop process i runs on core i mod the cores this process may
// use, for all three loops (sched_setaffinity in the hand loops, the stress module's --pin, i.e.
// taskset, in the harness's), so the loops meet the same placement; the bench process itself is
// not pinned. Figures only, never a verdict on time.
//
//   bench_overhead [--agents 1,4] [--duration SECONDS] [--repeat K] [--sample K]
//                  [--clock auto|monotonic] [--no-pin] [--loops full,stamped,sampled,bare]
//                  defaults: 1,4 agents, 1 s, 9 repeats, every 64th sampled, auto, all four
// Nine repeats: on this shared 2-core VM the median of three still moved by a tenth from run to
// run (four processes on two cores swing 2x with how the hand-offs fall), of nine far less.
// --loops runs only the loops named (to profile one, e.g. under perf); a ratio needs both of its
// loops and is printed as "-" otherwise.
#include "agent_clock.hpp"
#include "bench_common.hpp"
#include "ipch/event_log.hpp"
#include "ipch/futex.hpp"
#include "run.hpp"
#include "stress/run_case.hpp"

#include <atomic>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sstream>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ipch;
using namespace ipch::bench;
namespace bip = boost::interprocess;

namespace {

constexpr std::size_t payload_bytes = 64;
constexpr std::uint32_t max_loops = 64;

struct Options {
    std::vector<std::uint32_t> agents{1, 4};
    double duration_s = 1.0;
    int repeat = 9;
    bool pin = true;
    std::uint32_t sample_every = default_sample_every;
    ClockChoice clock = ClockChoice::automatic;
    // Which loops run: full, hand-stamped, sampled, bare.
    bool run_full = true, run_stamped = true, run_sampled = true, run_bare = true;
};

// ---------------------------------------------------------------------------------------------
// The hand-written loops

// What the parent and the loop processes share: an anonymous MAP_SHARED page made before fork.
struct LoopShared {
    std::atomic<std::uint32_t> ready{0};
    std::atomic<std::uint32_t> go{0};
    std::atomic<std::uint32_t> stop{0};
    struct Loop {
        std::uint64_t iterations = 0;
        std::uint64_t first_ns = 0; // before its first lock
        std::uint64_t last_ns = 0;  // after its last unlock
        std::int32_t error = 0;
    } loops[max_loops];
};

// The agent's event log, written by hand: a header's room, then 96-byte records in a MAP_SHARED
// file that is preallocated and doubled when full, each record published by a release store; its
// pages populated as the agent's recorder populates its log (agents/src/event_recorder.hpp): the
// first capacity before the loop starts, then 1 MiB of records at a time.
class RecordFile {
  public:
    explicit RecordFile(const std::string& path) {
        fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd_ < 0 || !map(1u << 16)) throw std::runtime_error("cannot create " + path);
        populate(0, capacity_);
    }
    RecordFile(const RecordFile&) = delete;
    RecordFile& operator=(const RecordFile&) = delete;
    ~RecordFile() {
        if (base_) ::munmap(base_, bytes_);
        if (fd_ >= 0) ::close(fd_);
    }
    void append(const EventRecord& record) {
        if (next_ == ready_) make_room();
        std::memcpy(static_cast<char*>(base_) + event_log_offset(next_), &record, sizeof record);
        ++next_;
        committed()->store(next_, std::memory_order_release);
    }

  private:
    static constexpr std::uint64_t chunk_records = (1u << 20) / sizeof(EventRecord);

    void make_room() {
        if (next_ == capacity_ && !map(capacity_ * 2)) std::abort();
        populate(next_, std::min(capacity_, next_ + chunk_records));
    }
    void populate(std::uint64_t from, std::uint64_t to) {
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        const std::size_t begin = event_log_offset(from) / page * page;
        const std::size_t end = event_log_offset(to);
        if (end > begin)
            (void)::madvise(static_cast<char*>(base_) + begin, end - begin, MADV_POPULATE_WRITE);
        ready_ = to;
    }
    bool map(std::uint64_t capacity) {
        const std::size_t bytes = event_log_offset(capacity);
        if (::posix_fallocate(fd_, 0, static_cast<off_t>(bytes)) != 0) return false;
        void* base = base_ ? ::mremap(base_, bytes_, bytes, MREMAP_MAYMOVE)
                           : ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
        if (base == MAP_FAILED) return false;
        base_ = base;
        bytes_ = bytes;
        capacity_ = capacity;
        return true;
    }
    std::atomic<std::uint64_t>* committed() {
        return &static_cast<EventLogHeader*>(base_)->committed;
    }

    int fd_ = -1;
    void* base_ = nullptr;
    std::size_t bytes_ = 0;
    std::uint64_t capacity_ = 0;
    std::uint64_t next_ = 0;
    std::uint64_t ready_ = 0; // records whose pages are populated
};

// The shared mapping the loops write into: [stamp][payload].
struct HandMapping {
    std::uint64_t stamp;
    char payload[payload_bytes];
};

void pin_to(std::size_t index) {
    const std::vector<int> cpus = stress::allowed_cpus();
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpus[index % cpus.size()], &set);
    ::sched_setaffinity(0, sizeof set, &set);
}

void wait_for_go(LoopShared& shared) {
    shared.ready.fetch_add(1, std::memory_order_acq_rel);
    futex_wake_all(shared.ready);
    while (shared.go.load(std::memory_order_acquire) == 0)
        futex_wait(shared.go, 0, 100'000'000);
}

void bare_loop(LoopShared& shared, LoopShared::Loop& loop, bip::named_mutex& mutex,
               HandMapping& mapping, const char* pattern) {
    std::uint64_t iterations = 0;
    loop.first_ns = bench::monotonic_ns();
    while (shared.stop.load(std::memory_order_relaxed) == 0) {
        mutex.lock();
        std::memcpy(mapping.payload, pattern, payload_bytes);
        mutex.unlock();
        ++iterations;
    }
    loop.last_ns = bench::monotonic_ns();
    loop.iterations = iterations;
}

void stamped_loop(LoopShared& shared, LoopShared::Loop& loop, bip::named_mutex& mutex,
                  HandMapping& mapping, const char* pattern, RecordFile& records,
                  std::uint32_t writer) {
    std::uint64_t iterations = 0;
    EventRecord event{};
    event.op_id = 1;
    event.kind = OpKind::write;
    event.flags = event_flag::critical_section | event_flag::written;
    event.msg_writer = writer;
    event.msg_length = payload_bytes;
    loop.first_ns = bench::monotonic_ns();
    while (shared.stop.load(std::memory_order_relaxed) == 0) {
        event.t_requested = now_ns();
        mutex.lock();
        const std::uint64_t acquired = clock_reading();
        std::memcpy(mapping.payload, pattern, payload_bytes);
        event.stamp = ++mapping.stamp;
        const std::uint64_t released = clock_reading();
        mutex.unlock();
        // Converted to ns after the unlock, as the agent converts its own (stamped_writes.hpp).
        event.t_acquired = reading_ns(acquired);
        event.t_released = reading_ns(released);
        event.seq = ++iterations;
        event.msg_writer_seq = iterations;
        records.append(event);
    }
    loop.last_ns = bench::monotonic_ns();
    loop.iterations = iterations;
}

enum class HandKind { bare, stamped };

struct HandObjects {
    std::string mutex_name;
    std::string mapping_name;
    fs::path record_dir;
};

[[noreturn]] void loop_process(HandKind kind, std::size_t index, const Options& options,
                               LoopShared& shared, const HandObjects& objects) {
    LoopShared::Loop& loop = shared.loops[index];
    try {
        if (options.pin) pin_to(index);
        bip::named_mutex mutex(bip::open_only, objects.mutex_name.c_str());
        const int fd = ::shm_open(objects.mapping_name.c_str(), O_RDWR, 0);
        if (fd < 0) throw std::runtime_error("shm_open");
        void* base =
            ::mmap(nullptr, sizeof(HandMapping), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) throw std::runtime_error("mmap");
        auto& mapping = *static_cast<HandMapping*>(base);
        char pattern[payload_bytes];
        std::memset(pattern, 'a' + static_cast<int>(index % 26), sizeof pattern);
        if (kind == HandKind::bare) {
            wait_for_go(shared);
            bare_loop(shared, loop, mutex, mapping, pattern);
        } else {
            RecordFile records(
                (objects.record_dir / ("hand-" + std::to_string(index) + ".events")).string());
            // The agent's clock, calibrated as an agent calibrates it.
            AgentClock clock(options.clock);
            clock.settle();
            (void)clock.start_run(0); // the hand loop's records have no header to keep it
            wait_for_go(shared);
            stamped_loop(shared, loop, mutex, mapping, pattern, records,
                         static_cast<std::uint32_t>(index + 1));
        }
    } catch (const std::exception&) {
        loop.error = errno != 0 ? errno : EIO;
        shared.ready.fetch_add(1, std::memory_order_acq_rel); // never leave the parent waiting
        futex_wake_all(shared.ready);
    }
    ::_exit(loop.error != 0 ? 1 : 0);
}

// Named objects of the hand loops, removed on every exit path.
class HandObjectsGuard {
  public:
    explicit HandObjectsGuard(const fs::path& record_dir) {
        const std::string stem = "ipch-bench-" + std::to_string(::getpid());
        objects_ = {stem + "-mtx", "/" + stem + "-map", record_dir};
        bip::named_mutex::remove(objects_.mutex_name.c_str());
        bip::named_mutex create(bip::create_only, objects_.mutex_name.c_str());
        const int fd = ::shm_open(objects_.mapping_name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
        if (fd < 0 || ::ftruncate(fd, sizeof(HandMapping)) != 0) {
            remove();
            throw std::runtime_error("cannot create the shm mapping " + objects_.mapping_name);
        }
        ::close(fd);
    }
    HandObjectsGuard(const HandObjectsGuard&) = delete;
    HandObjectsGuard& operator=(const HandObjectsGuard&) = delete;
    ~HandObjectsGuard() { remove(); }
    const HandObjects& objects() const { return objects_; }

  private:
    void remove() {
        bip::named_mutex::remove(objects_.mutex_name.c_str());
        ::shm_unlink(objects_.mapping_name.c_str());
    }
    HandObjects objects_;
};

struct LoopResult {
    std::uint64_t acquisitions = 0;
    double throughput = 0; // per second
    std::string problem;   // empty when every loop ran
    std::string clock;     // the harness's: its agents' clock
};

LoopResult run_hand(HandKind kind, std::uint32_t agents, const Options& options,
                    const fs::path& scratch) {
    HandObjectsGuard guard(scratch);
    void* page = ::mmap(nullptr, sizeof(LoopShared), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) throw std::runtime_error("cannot map the loops' shared page");
    auto* shared = new (page) LoopShared{};
    std::vector<pid_t> pids;
    for (std::uint32_t i = 0; i < agents; ++i) {
        const pid_t pid = ::fork();
        if (pid == 0) loop_process(kind, i, options, *shared, guard.objects());
        if (pid < 0) throw std::runtime_error("fork failed");
        pids.push_back(pid);
    }
    for (std::uint32_t ready; (ready = shared->ready.load(std::memory_order_acquire)) < agents;)
        futex_wait(shared->ready, ready, 100'000'000);
    shared->go.store(1, std::memory_order_release);
    futex_wake_all(shared->go);
    ::usleep(static_cast<useconds_t>(options.duration_s * 1e6));
    shared->stop.store(1, std::memory_order_release);
    LoopResult result;
    for (const pid_t pid : pids) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) result.problem = "a loop failed";
    }
    std::uint64_t first = UINT64_MAX, last = 0;
    for (std::uint32_t i = 0; i < agents; ++i) {
        result.acquisitions += shared->loops[i].iterations;
        first = std::min(first, shared->loops[i].first_ns);
        last = std::max(last, shared->loops[i].last_ns);
    }
    if (last > first)
        result.throughput = result.acquisitions / (static_cast<double>(last - first) / 1e9);
    ::munmap(page, sizeof(LoopShared));
    for (std::uint32_t i = 0; i < agents; ++i)
        fs::remove(scratch / ("hand-" + std::to_string(i) + ".events"));
    return result;
}

// ---------------------------------------------------------------------------------------------
// The harness's loop: one stress case

LoopResult run_harness(TimingMode timing, std::uint32_t agents, int repeat, const Options& options,
                       const fs::path& scratch) {
    stress::StressConfig config;
    config.backends = {MutexKind::named_mutex};
    config.agents = {agents};
    config.duration_ns = static_cast<std::uint64_t>(options.duration_s * 1e9);
    config.payload_bytes = payload_bytes;
    config.pin = options.pin;
    config.timing = timing;
    config.sample_every = timing == TimingMode::sampled ? options.sample_every : 1;
    config.clock = options.clock;
    const stress::CaseKey key{MutexKind::named_mutex, agents, static_cast<std::uint32_t>(repeat)};
    const stress::StressCase run =
        stress::run_case(config, key, {default_agent_exe(), scratch, false});
    LoopResult result;
    result.acquisitions = run.figures.acquisitions;
    result.throughput = run.figures.throughput.value_or(0);
    result.clock = clock_text(run.clock);
    if (stress::case_outcome(run) != "ok")
        result.problem = stress::case_outcome(run) + " " + stress::failed_properties(run) +
                         (run.errors.empty() ? "" : ": " + run.errors.front());
    return result;
}

// ---------------------------------------------------------------------------------------------

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--agents" && i + 1 < argc) {
            options.agents.clear();
            std::stringstream list(argv[++i]);
            for (std::string item; std::getline(list, item, ',');)
                options.agents.push_back(static_cast<std::uint32_t>(std::stoul(item)));
        } else if (arg == "--duration" && i + 1 < argc) {
            options.duration_s = std::stod(argv[++i]);
        } else if (arg == "--repeat" && i + 1 < argc) {
            options.repeat = std::stoi(argv[++i]);
        } else if (arg == "--sample" && i + 1 < argc) {
            options.sample_every = static_cast<std::uint32_t>(std::stoul(argv[++i]));
        } else if (arg == "--clock" && i + 1 < argc) {
            const std::string clock = argv[++i];
            if (clock != "auto" && clock != "monotonic")
                throw std::invalid_argument("--clock: auto or monotonic");
            options.clock = clock == "auto" ? ClockChoice::automatic : ClockChoice::monotonic;
        } else if (arg == "--no-pin") {
            options.pin = false;
        } else if (arg == "--loops" && i + 1 < argc) {
            options.run_full = options.run_stamped = options.run_sampled = options.run_bare = false;
            std::stringstream list(argv[++i]);
            for (std::string item; std::getline(list, item, ',');) {
                bool& loop =
                    item == "full"      ? options.run_full
                    : item == "stamped" ? options.run_stamped
                    : item == "sampled" ? options.run_sampled
                    : item == "bare"
                        ? options.run_bare
                        : throw std::invalid_argument("--loops: full, stamped, sampled, bare");
                loop = true;
            }
        } else {
            throw std::invalid_argument("usage: bench_overhead [--agents 1,4] [--duration SECONDS] "
                                        "[--repeat K] [--sample K] [--clock auto|monotonic] "
                                        "[--no-pin] [--loops full,stamped,sampled,bare]");
        }
    }
    for (const std::uint32_t n : options.agents)
        if (n < 1 || n > max_loops) throw std::invalid_argument("--agents: 1..64 each");
    if (options.duration_s <= 0 || options.repeat < 1 || options.sample_every < 1)
        throw std::invalid_argument("--duration > 0, --repeat >= 1, --sample >= 1");
    return options;
}

// "0.93x", or "-" when either loop did not run (--loops).
std::string ratio_text(double loop, double baseline) {
    if (loop <= 0 || baseline <= 0) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.2fx", loop / baseline);
    return text;
}

void print_row(const char* name, int rep, const LoopResult& result) {
    std::printf("  %-13s rep %d: %10s acquisitions %10s/s%s%s%s\n", name, rep,
                count_text(static_cast<double>(result.acquisitions)).c_str(),
                count_text(result.throughput).c_str(),
                result.clock.empty() ? "" : ("  clock " + result.clock).c_str(),
                result.problem.empty() ? "" : "  ", result.problem.c_str());
}

int run(const Options& options) {
    ScratchDir scratch("overhead");
    std::printf("bench_overhead: {lock named_mutex; write 64 bytes; unlock}, %.3g s per loop, %d "
                "repeats (medians), sampled = every %uth op stamped, clock %s, %s\n",
                options.duration_s, options.repeat, options.sample_every,
                std::string(to_string(options.clock)).c_str(),
                options.pin ? "loop process i pinned to core i mod cores (sched_setaffinity / "
                              "taskset)"
                            : "not pinned");
    struct Summary {
        std::uint32_t agents;
        double full, stamped, sampled, bare;
    };
    std::vector<Summary> summaries;
    for (const std::uint32_t agents : options.agents) {
        std::printf("N = %u\n", agents);
        std::vector<double> full, stamped, sampled, bare;
        // Each pair runs in one order on odd repeats and the other on even ones: a loop that
        // follows its partner gets the memory its partner's log just freed, which on this VM
        // zero-fills faster than memory the host took back (see docs/stress.md).
        for (int rep = 1; rep <= options.repeat; ++rep) {
            const auto keep = [&](const char* name, std::vector<double>& figures,
                                  const LoopResult& result) {
                print_row(name, rep, result);
                figures.push_back(result.throughput);
            };
            const auto harness = [&](TimingMode timing) {
                return run_harness(timing, agents, rep, options, scratch.path());
            };
            const auto hand = [&](HandKind kind) {
                return run_hand(kind, agents, options, scratch.path());
            };
            const auto run_full = [&] { keep("full", full, harness(TimingMode::full)); };
            const auto run_stamped = [&] {
                keep("hand-stamped", stamped, hand(HandKind::stamped));
            };
            const auto run_sampled = [&] {
                keep("sampled", sampled, harness(TimingMode::sampled));
            };
            const auto run_bare = [&] { keep("bare", bare, hand(HandKind::bare)); };
            const bool harness_first = rep % 2 == 1;
            const auto pair = [&](bool run_harness_loop, const auto& harness_loop,
                                  bool run_hand_loop, const auto& hand_loop) {
                if (harness_first && run_harness_loop) harness_loop();
                if (run_hand_loop) hand_loop();
                if (!harness_first && run_harness_loop) harness_loop();
            };
            pair(options.run_full, run_full, options.run_stamped, run_stamped);
            pair(options.run_sampled, run_sampled, options.run_bare, run_bare);
        }
        summaries.push_back({agents, median(full), median(stamped), median(sampled), median(bare)});
    }
    std::printf("\nmedian acq/s        full  hand-stamped     sampled        bare   full/stamped   "
                "sampled/bare\n");
    for (const Summary& s : summaries)
        std::printf("N = %-3u      %10s  %10s  %10s  %10s   %9s       %9s\n", s.agents,
                    count_text(s.full).c_str(), count_text(s.stamped).c_str(),
                    count_text(s.sampled).c_str(), count_text(s.bare).c_str(),
                    ratio_text(s.full, s.stamped).c_str(), ratio_text(s.sampled, s.bare).c_str());
    std::printf("\ntargets (issue 6): full / hand-stamped >= 0.9x; sampled / bare >= 0.9x. "
                "Figures only: this program never fails on them.\n");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return bench_main("bench_overhead", argc, argv, parse, run);
}
