// check_speed: how fast the checker reads and judges long histories, and how much memory it
// takes. Synthetic histories of several agents (writes, reads, increments, holds, wait_fors and
// timed_lock..unlock sections under a correct lock; each agent repeats a plan of its own, the lock
// going to a random agent each time) are written as real event logs by the agents' own
// EventRecorder, read back through read_agent_log (memory-mapped) and checked by check_history.
// A variant with a few injected violations measures the failing path, evidence included.
//
// Figures, never a verdict on time: per history the events, the log bytes, the read and check
// times, the checker's events/s, its peak memory as a ratio to the log bytes, and a baseline
// measured in the same run (one pass over the mapped events, touching every record) with the
// checker/baseline ratio.
//
// Memory: /proc/self/clear_refs "5" resets the peak (VmHWM) to the current RSS just before the
// logs are read; the figure is VmHWM after checking minus VmRSS before reading. It counts the
// mapped log pages the checker touched (file pages in the page cache, resident in this process)
// as well as everything the checker allocates.
#include "check.hpp"
#include "check/check_properties.hpp"
#include "event_recorder.hpp"
#include "history.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sched.h>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace ipch;

namespace {

// ---------------------------------------------------------------------------------------------
// Synthetic histories

// xorshift64*: fast, deterministic, good enough to pick ops and times.
class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed | 1) {}
    std::uint64_t next() {
        state_ ^= state_ >> 12;
        state_ ^= state_ << 25;
        state_ ^= state_ >> 27;
        return state_ * 0x2545F4914F6CDD1DULL;
    }
    std::uint64_t below(std::uint64_t bound) { return next() % bound; }

  private:
    std::uint64_t state_;
};

// The op ids of the synthetic plan: one per op every agent runs.
namespace op {
constexpr std::uint32_t open = 1, write = 2, read = 3, increment = 4, hold = 5, wait_for = 6,
                        timed_lock = 7, write_inside = 8, unlock = 9, close = 10;
}

constexpr std::uint64_t timed_lock_timeout_ns = 1'000'000;

// Violations the variant injects, one kind after another, each caught by its property.
enum class Fault { overlap, shared_stamp, lost_update, stale_read, torn_read, late_timed_lock };
constexpr int fault_kinds = 6;

struct Message {
    std::uint32_t writer = 0;
    std::uint32_t length = 0;
    std::uint64_t writer_seq = 0;
    std::uint64_t checksum = 0;
};

// What an agent's plan asks for next.
enum class Step { write, read, read_any_valid, increment, hold, wait_for, timed_section };

// Each agent repeats a plan, as a scenario's `repeat:` makes it; four roles, given out in turn.
// Which agent gets the lock next is random, as under contention.
const std::vector<std::vector<Step>> plans = {
    {Step::write, Step::write, Step::hold, Step::read},                        // a writer
    {Step::read, Step::read_any_valid, Step::wait_for, Step::read},            // a reader
    {Step::increment, Step::increment, Step::read, Step::hold},                // a counter
    {Step::timed_section, Step::write, Step::increment, Step::read_any_valid}, // a bit of all
};

// One agent's state as the history goes by.
struct AgentState {
    std::uint64_t seq = 0;
    std::uint64_t writes = 0;
    std::uint64_t last_end = 0; // ns: its previous event's end
    std::size_t next_step = 0;  // in its plan
};

// Generates a history in lock order and hands each event to `sink(agent_position, event)`.
// Deterministic for a seed, so a counting pass can size the logs before a recording pass.
class Generator {
  public:
    Generator(std::uint32_t agents, std::uint64_t seed, std::uint64_t fault_every)
        : random_(seed), agents_(agents), fault_every_(fault_every) {}

    template <class Sink>
    void run(std::uint64_t events, Sink&& sink) {
        for (std::uint32_t a = 0; a < agents_.size(); ++a)
            sink(a, instant(a, OpKind::open, op::open));
        const std::uint64_t closing = agents_.size();
        while (emitted_ + closing < events)
            next_section(sink);
        for (std::uint32_t a = 0; a < agents_.size(); ++a)
            sink(a, instant(a, OpKind::close, op::close));
    }

    std::uint64_t injected() const { return injected_; }

  private:
    template <class Sink>
    void emit(Sink& sink, std::uint32_t agent, const EventRecord& event) {
        ++emitted_;
        agents_[agent].last_end = event.t_released;
        sink(agent, event);
    }

    EventRecord instant(std::uint32_t agent, OpKind kind, std::uint32_t op_id) {
        ++emitted_;
        EventRecord event{};
        event.op_id = op_id;
        event.kind = kind;
        event.seq = ++agents_[agent].seq;
        now_ += 100;
        event.t_requested = event.t_released = now_;
        agents_[agent].last_end = now_;
        return event;
    }

    // A plain op's own critical section: requested while the previous holder was inside,
    // acquired after it released, held for a while.
    EventRecord section(std::uint32_t agent, OpKind kind, std::uint32_t op_id,
                        std::uint64_t held_ns) {
        EventRecord event{};
        event.op_id = op_id;
        event.kind = kind;
        event.seq = ++agents_[agent].seq;
        event.flags = event_flag::critical_section;
        const std::uint64_t gap = 50 + random_.below(400);
        event.t_requested = std::max(agents_[agent].last_end, now_ - std::min(now_, gap * 3));
        event.t_acquired = now_ + gap;
        event.t_released = event.t_acquired + held_ns;
        event.stamp = ++stamp_;
        now_ = event.t_released;
        return event;
    }

    static void mark_written(EventRecord& event, const Message& message) {
        event.flags |= event_flag::written;
        event.msg_writer = message.writer;
        event.msg_length = message.length;
        event.msg_writer_seq = message.writer_seq;
        event.msg_checksum = message.checksum;
    }

    static void mark_observed(EventRecord& event, const Message& message) {
        event.flags |= event_flag::observed;
        event.msg_writer = message.writer;
        event.msg_length = message.length;
        event.msg_writer_seq = message.writer_seq;
        event.msg_checksum = message.checksum;
        event.computed_checksum = message.checksum;
    }

    Message new_message(std::uint32_t agent) {
        Message message;
        message.writer = agent + 1;
        message.writer_seq = ++agents_[agent].writes;
        message.length = 16 + static_cast<std::uint32_t>(random_.below(240));
        message.checksum = (message.writer_seq * 0x9E3779B97F4A7C15ULL) ^ message.writer;
        return message;
    }

    template <class Sink>
    void next_section(Sink& sink) {
        const auto agent = static_cast<std::uint32_t>(random_.below(agents_.size()));
        const bool fault = fault_every_ != 0 && stamp_ > 0 && stamp_ % fault_every_ == 0;
        if (fault) return inject(sink, agent);
        const std::vector<Step>& plan = plans[agent % plans.size()];
        switch (plan[agents_[agent].next_step++ % plan.size()]) {
        case Step::write:
            return write(sink, agent);
        case Step::read:
            return read(sink, agent, false);
        case Step::read_any_valid:
            return read(sink, agent, true);
        case Step::increment:
            return increment(sink, agent);
        case Step::hold:
            return hold(sink, agent);
        case Step::wait_for:
            return wait_for(sink, agent);
        case Step::timed_section:
            return timed_section(sink, agent);
        }
    }

    template <class Sink>
    void write(Sink& sink, std::uint32_t agent) {
        EventRecord event = section(agent, OpKind::write, op::write, 200 + random_.below(800));
        previous_ = latest_;
        latest_ = new_message(agent);
        mark_written(event, latest_);
        emit(sink, agent, event);
    }

    template <class Sink>
    void read(Sink& sink, std::uint32_t agent, bool any_valid) {
        EventRecord event = section(agent, OpKind::read, op::read, 150 + random_.below(600));
        mark_observed(event, latest_);
        if (any_valid) event.flags |= event_flag::expect | event_flag::any_valid;
        emit(sink, agent, event);
    }

    template <class Sink>
    void increment(Sink& sink, std::uint32_t agent) {
        EventRecord event =
            section(agent, OpKind::increment, op::increment, 100 + random_.below(200));
        event.msg_writer_seq = counter_++;
        emit(sink, agent, event);
    }

    template <class Sink>
    void hold(Sink& sink, std::uint32_t agent) {
        emit(sink, agent, section(agent, OpKind::hold, op::hold, 2'000 + random_.below(20'000)));
    }

    // A wait_for: a poll or two that see nothing new (pending), then one that sees a message.
    template <class Sink>
    void wait_for(Sink& sink, std::uint32_t agent) {
        const std::uint64_t polls = 1 + random_.below(3);
        const std::uint64_t seq = agents_[agent].seq + 1;
        for (std::uint64_t attempt = 0; attempt < polls; ++attempt) {
            EventRecord event =
                section(agent, OpKind::wait_for, op::wait_for, 150 + random_.below(300));
            event.seq = seq;
            agents_[agent].seq = seq;
            event.attempt = static_cast<std::uint32_t>(attempt);
            mark_observed(event, latest_);
            event.outcome = attempt + 1 < polls ? Outcome::pending : Outcome::ok;
            emit(sink, agent, event);
        }
    }

    // timed_lock; write; unlock: one explicit section, its stamp shared by its ops, the section
    // itself the unlock's event.
    template <class Sink>
    void timed_section(Sink& sink, std::uint32_t agent, std::uint64_t waited_extra = 0) {
        EventRecord lock = section(agent, OpKind::timed_lock, op::timed_lock, 0);
        lock.t_requested = std::min(lock.t_requested, lock.t_acquired - waited_extra);
        lock.flags = event_flag::in_section;
        lock.msg_writer_seq = timed_lock_timeout_ns;
        emit(sink, agent, lock);

        EventRecord inside{};
        inside.op_id = op::write_inside;
        inside.kind = OpKind::write;
        inside.seq = ++agents_[agent].seq;
        inside.flags = event_flag::in_section;
        inside.stamp = lock.stamp;
        inside.t_requested = inside.t_acquired = lock.t_acquired + 20;
        inside.t_released = inside.t_acquired + 300 + random_.below(500);
        previous_ = latest_;
        latest_ = new_message(agent);
        mark_written(inside, latest_);
        emit(sink, agent, inside);

        EventRecord unlock = lock;
        unlock.op_id = op::unlock;
        unlock.kind = OpKind::unlock;
        unlock.seq = ++agents_[agent].seq;
        unlock.flags = event_flag::critical_section;
        unlock.msg_writer_seq = 0;
        unlock.t_released = inside.t_released + 20;
        now_ = unlock.t_released;
        emit(sink, agent, unlock);
    }

    template <class Sink>
    void inject(Sink& sink, std::uint32_t agent) {
        const auto fault = static_cast<Fault>(injected_++ % fault_kinds);
        switch (fault) {
        case Fault::overlap: { // acquired before the previous holder released
            EventRecord event = section(agent, OpKind::hold, op::hold, 1'000);
            event.t_acquired -= 1'500;
            return emit(sink, agent, event);
        }
        case Fault::shared_stamp: { // two sections took one stamp: their increments overlapped
            EventRecord event = section(agent, OpKind::hold, op::hold, 1'000);
            event.stamp = --stamp_;
            return emit(sink, agent, event);
        }
        case Fault::lost_update: { // read the value the previous increment read
            EventRecord event = section(agent, OpKind::increment, op::increment, 200);
            event.msg_writer_seq = counter_ == 0 ? 0 : counter_ - 1;
            if (counter_ == 0) ++counter_;
            return emit(sink, agent, event);
        }
        case Fault::stale_read: { // saw the message before the latest
            EventRecord event = section(agent, OpKind::read, op::read, 300);
            mark_observed(event, previous_);
            return emit(sink, agent, event);
        }
        case Fault::torn_read: { // the payload's checksum is not the header's
            EventRecord event = section(agent, OpKind::read, op::read, 300);
            mark_observed(event, latest_);
            event.computed_checksum ^= 0xff;
            event.flags |= event_flag::torn;
            return emit(sink, agent, event);
        }
        case Fault::late_timed_lock: // acquired well past its deadline
            return timed_section(sink, agent, timed_lock_timeout_ns + 200'000'000);
        }
    }

    Random random_;
    std::vector<AgentState> agents_;
    std::uint64_t fault_every_;
    std::uint64_t now_ = 1'000'000'000;
    std::uint64_t stamp_ = 0;
    std::uint64_t counter_ = 0;
    std::uint64_t emitted_ = 0;
    std::uint64_t injected_ = 0;
    Message latest_;   // what the mapping holds
    Message previous_; // what it held before the latest write
};

// ---------------------------------------------------------------------------------------------
// Measuring

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double thread_cpu_seconds() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); 0 when it cannot be read.
std::uint64_t status_bytes(std::string_view field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.compare(0, field.size(), field) == 0 && line.size() > field.size() &&
            line[field.size()] == ':')
            return std::strtoull(line.c_str() + field.size() + 1, nullptr, 10) * 1024;
    return 0;
}

// Resets VmHWM to the current RSS (Linux >= 4.0); false when the kernel refuses.
bool reset_peak_rss() {
    std::ofstream clear("/proc/self/clear_refs");
    clear << "5";
    clear.flush();
    return static_cast<bool>(clear);
}

// A directory for one run's logs, removed with everything in it when the program ends.
class TempDir {
  public:
    explicit TempDir(const std::filesystem::path& parent) {
        std::string pattern = (parent / "ipch-check-speed-XXXXXX").string();
        if (::mkdtemp(pattern.data()) == nullptr)
            throw std::runtime_error("cannot create a directory under " + parent.string() + ": " +
                                     std::strerror(errno));
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string log(std::uint32_t agent_id) const {
        return (path_ / ("agent-" + std::to_string(agent_id) + ".events")).string();
    }

  private:
    std::filesystem::path path_;
};

struct Config {
    std::uint64_t events;
    std::uint32_t agents;
    bool faults;
};

struct Logs {
    std::uint64_t events = 0;
    std::uint64_t bytes = 0;
    std::uint64_t injected = 0;
    double write_seconds = 0;
};

// Writes the history's logs with the agents' own recorder, each sized exactly by a counting
// pass (an agent's log grows by doubling; a history written here should not carry that slack
// into the memory ratio), then flushes them to disk so that writeback does not run during the
// measurements.
Logs write_logs(const TempDir& dir, const Config& config) {
    const auto start = std::chrono::steady_clock::now();
    const std::uint64_t fault_every = config.faults ? config.events / 16 : 0;
    std::vector<std::uint64_t> counts(config.agents, 0);
    Generator(config.agents, 42, fault_every).run(config.events, [&](std::uint32_t a, const auto&) {
        ++counts[a];
    });
    Logs logs;
    {
        std::vector<std::unique_ptr<EventRecorder>> recorders;
        for (std::uint32_t a = 0; a < config.agents; ++a)
            recorders.push_back(std::make_unique<EventRecorder>(dir.log(a + 1), a + 1, counts[a]));
        Generator generator(config.agents, 42, fault_every);
        generator.run(config.events, [&](std::uint32_t a, const EventRecord& event) {
            recorders[a]->record(event);
        });
        logs.injected = generator.injected();
        for (auto& recorder : recorders)
            recorder->close(LogStatus::finished);
    }
    for (std::uint32_t a = 0; a < config.agents; ++a) {
        const int fd = ::open(dir.log(a + 1).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ::fsync(fd);
            ::close(fd);
        }
        logs.bytes += std::filesystem::file_size(dir.log(a + 1));
        logs.events += counts[a];
    }
    logs.write_seconds = seconds_since(start);
    return logs;
}

History read_history(const TempDir& dir, std::uint32_t agents) {
    History history;
    history.payload_capacity = 4096;
    for (std::uint32_t a = 0; a < agents; ++a) {
        history.agents.push_back(read_agent_log(dir.log(a + 1), a + 1));
        history.agents.back().name = "agent-" + std::to_string(a + 1);
    }
    return history;
}

// One measurement. Times are this thread's CPU time, which a machine shared with other work does
// not inflate as much as wall time (the rates are "on one core"); the check's wall time is kept
// to show how far apart the two are.
struct Sample {
    double read = 0;
    double check = 0;
    double check_wall = 0;
    double baseline = 0;
    double lock_order = 0;        // the check of the lock-order properties alone
    std::uint64_t peak_bytes = 0; // VmHWM after checking - VmRSS before reading
    std::vector<PropertyResult> results;
    std::vector<PropertyResult> lock_order_results;
};

// Reads the logs and checks them, fresh mapping and all; the results of the last time are kept.
void measure_check(const TempDir& dir, const Config& config, Sample& sample) {
    const bool reset = reset_peak_rss();
    const std::uint64_t before = status_bytes("VmRSS");
    double cpu = thread_cpu_seconds();
    History history = read_history(dir, config.agents);
    sample.read = thread_cpu_seconds() - cpu;
    const auto start = std::chrono::steady_clock::now();
    cpu = thread_cpu_seconds();
    sample.results = check_history(history);
    sample.check = thread_cpu_seconds() - cpu;
    sample.check_wall = seconds_since(start);
    sample.peak_bytes = reset ? status_bytes("VmHWM") - before : 0;
}

// The same logs read afresh and checked for the properties that judge lock order alone
// (check::lock_order_property_ids), as the target names them.
void measure_lock_order(const TempDir& dir, const Config& config, Sample& sample) {
    const History history = read_history(dir, config.agents);
    const double cpu = thread_cpu_seconds();
    sample.lock_order_results = check::check_properties(history, check::lock_order_property_ids);
    sample.lock_order = thread_cpu_seconds() - cpu;
}

// Whether the lock-order properties alone got the verdicts, counts and evidence check_history
// gave them.
bool same_lock_order_results(const Sample& sample) {
    std::size_t matched = 0;
    for (const PropertyResult& alone : sample.lock_order_results)
        for (const PropertyResult& all : sample.results)
            if (all.id == alone.id && all.verdict == alone.verdict &&
                all.violations == alone.violations && all.checked == alone.checked &&
                all.detail == alone.detail && all.evidence.size() == alone.evidence.size())
                ++matched;
    return matched == std::size(check::lock_order_property_ids);
}

// The baseline: the same logs read afresh, then one pass that touches every record.
std::uint64_t measure_baseline(const TempDir& dir, const Config& config, Sample& sample) {
    const History history = read_history(dir, config.agents);
    const double cpu = thread_cpu_seconds();
    std::uint64_t sum = 0;
    for (const AgentHistory& agent : history.agents)
        for (const EventRecord& event : agent.events)
            sum += event.stamp;
    sample.baseline = thread_cpu_seconds() - cpu;
    return sum;
}

template <class Field>
double median(const std::vector<Sample>& samples, Field field) {
    std::vector<double> values;
    for (const Sample& sample : samples)
        values.push_back(static_cast<double>(field(sample)));
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

template <class Field>
double least(const std::vector<Sample>& samples, Field field) {
    double value = static_cast<double>(field(samples.front()));
    for (const Sample& sample : samples)
        value = std::min(value, static_cast<double>(field(sample)));
    return value;
}

std::string verdicts(const std::vector<PropertyResult>& results) {
    std::string text;
    for (const PropertyResult& result : results) {
        if (!text.empty()) text += ", ";
        text += result.id + " " + std::string(to_string(result.verdict));
        if (result.verdict == Verdict::fail)
            text += " (" + std::to_string(result.violations) + " violations, " +
                    std::to_string(result.evidence.size()) + " with evidence)";
    }
    return text;
}

// Per CPU, the jiffies it has spent idle and in all, from /proc/stat.
std::vector<std::pair<std::uint64_t, std::uint64_t>> cpu_times() {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> times;
    std::ifstream stat("/proc/stat");
    std::string line;
    while (std::getline(stat, line)) {
        if (line.compare(0, 3, "cpu") != 0 || line.size() < 4 || line[3] == ' ') continue;
        std::istringstream fields(line.substr(line.find(' ')));
        std::uint64_t value = 0;
        std::uint64_t total = 0;
        std::uint64_t idle = 0;
        for (int field = 0; fields >> value; ++field) {
            total += value;
            if (field == 3 || field == 4) idle += value; // idle, iowait
        }
        times.emplace_back(idle, total);
    }
    return times;
}

// One core, and the least busy one: the target is a rate on one core, a thread that stays on
// its core keeps its caches, and on a machine shared with other work the core others keep busy
// would halve the figures. The choice is made again before each history, over 200 ms.
std::string pin_to_idlest_core(int forced) {
    int cpu = forced;
    if (cpu < 0) {
        const auto before = cpu_times();
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const auto after = cpu_times();
        double idlest = -1;
        for (std::size_t c = 0; c < before.size() && c < after.size(); ++c) {
            const double total = static_cast<double>(after[c].second - before[c].second);
            const double idle = static_cast<double>(after[c].first - before[c].first);
            if (total > 0 && idle / total > idlest) {
                idlest = idle / total;
                cpu = static_cast<int>(c);
            }
        }
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu < 0 ? 0 : cpu, &set);
    if (cpu < 0 || ::sched_setaffinity(0, sizeof set, &set) != 0) return "not pinned";
    return "cpu " + std::to_string(cpu);
}

void run_config(const std::filesystem::path& parent, const Config& config, int repeat, int cpu) {
    const TempDir dir(parent);
    const Logs logs = write_logs(dir, config);
    const std::string pinned = pin_to_idlest_core(cpu);
    std::vector<Sample> samples(static_cast<std::size_t>(repeat));
    std::uint64_t checksum = 0;
    for (Sample& sample : samples) {
        measure_check(dir, config, sample);
        measure_lock_order(dir, config, sample);
        checksum += measure_baseline(dir, config, sample);
    }
    const auto read = [](const Sample& x) { return x.read; };
    const auto check = [](const Sample& x) { return x.check; };
    const auto read_check = [](const Sample& x) { return x.read + x.check; };
    const auto events = static_cast<double>(logs.events);
    const double peak = median(samples, [](const Sample& x) { return x.peak_bytes; });
    const double baseline = median(samples, [](const Sample& x) { return x.baseline; });
    const double mb = 1024.0 * 1024.0;
    std::printf("%9llu %6u %-10s %7.1f %6.3f %6.3f %6.3f %6.1f %6.1f %6.1f %6.1f %8.4f %6.1f %7.1f "
                "%5.2f\n",
                static_cast<unsigned long long>(logs.events), config.agents,
                config.faults ? "violations" : "clean", static_cast<double>(logs.bytes) / mb,
                median(samples, read), median(samples, check),
                median(samples, [](const Sample& x) { return x.check_wall; }),
                events / median(samples, check) / 1e6, events / least(samples, check) / 1e6,
                events / median(samples, read_check) / 1e6,
                events / median(samples, [](const Sample& x) { return x.lock_order; }) / 1e6,
                baseline, median(samples, check) / baseline, peak / mb,
                peak / static_cast<double>(logs.bytes));
    std::printf("    %s; written in %.2f s, %llu violations injected (stamp sum %llu); verdicts: "
                "%s\n",
                pinned.c_str(), logs.write_seconds, static_cast<unsigned long long>(logs.injected),
                static_cast<unsigned long long>(checksum / static_cast<std::uint64_t>(repeat)),
                verdicts(samples.back().results).c_str());
    if (!same_lock_order_results(samples.back()))
        std::printf("    the lock-order properties alone were judged differently: %s\n",
                    verdicts(samples.back().lock_order_results).c_str());
    std::fflush(stdout);
}

// "1000000,10000000" -> {1000000, 10000000}
template <class T>
std::vector<T> numbers(const char* text) {
    std::vector<T> values;
    for (const char* p = text; *p != '\0';) {
        char* end = nullptr;
        values.push_back(static_cast<T>(std::strtoull(p, &end, 10)));
        p = *end == ',' ? end + 1 : end;
        if (end == p && *end != '\0') break;
    }
    return values;
}

int usage(const char* program) {
    std::fprintf(stderr,
                 "usage: %s [--events N,N..] [--agents N,N..] [--repeat N] [--dir DIR] "
                 "[--cpu N] [--no-violations]\n",
                 program);
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::uint64_t> sizes{1'000'000, 10'000'000};
    std::vector<std::uint32_t> agent_counts{4, 16};
    int repeat = 3;
    bool violations = true;
    int cpu = -1; // the idlest
    std::filesystem::path parent = std::filesystem::temp_directory_path();
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--events" && has_value)
            sizes = numbers<std::uint64_t>(argv[++i]);
        else if (arg == "--agents" && has_value)
            agent_counts = numbers<std::uint32_t>(argv[++i]);
        else if (arg == "--repeat" && has_value)
            repeat = std::max(1, std::atoi(argv[++i]));
        else if (arg == "--dir" && has_value)
            parent = argv[++i];
        else if (arg == "--cpu" && has_value)
            cpu = std::atoi(argv[++i]);
        else if (arg == "--no-violations")
            violations = false;
        else
            return usage(argv[0]);
    }

    std::printf("check_speed: median of %d; logs under %s; each history on the idlest CPU "
                "(--cpu N to choose)\n",
                repeat, parent.c_str());
    std::printf(
        "read: read_agent_log of every log (mmap, every record checked); check: check_history, "
        "every property;\nbaseline: the logs read afresh, one pass summing every event's stamp; "
        "times: this thread's CPU seconds\n(check wall: wall seconds), median of the runs; "
        "Mev/s: million events a CPU second for the check\n(median, best) and for read + "
        "check; l-o: the same for check_properties of the lock-order properties alone\n"
        "(mutual-exclusion, no-lost-update, read-latest; median); peak: VmHWM after checking - "
        "VmRSS before\nreading, reset through /proc/self/clear_refs, mapped log pages included. "
        "Targets: >= 20 Mev/s, peak <= 2x log.\n");
    std::printf("%9s %6s %-10s %7s %6s %6s %6s %6s %6s %6s %6s %8s %6s %7s %5s\n", "events",
                "agents", "history", "log MB", "read", "check", "wall", "Mev/s", "best", "r+c",
                "l-o", "baseline", "x base", "peak MB", "x log");
    try {
        for (const std::uint64_t events : sizes) {
            for (const std::uint32_t agents : agent_counts)
                run_config(parent, Config{events, agents, false}, repeat, cpu);
            if (violations)
                run_config(parent, Config{events, agent_counts.front(), true}, repeat, cpu);
        }
    } catch (const std::exception& error) {
        std::fprintf(stderr, "check_speed: %s\n", error.what());
        return 1;
    }
    return 0;
}
