// The stress command's options and its console output, without running anything.
#include "stress/progress.hpp"
#include "stress/run_case.hpp"
#include "stress/stress_command.hpp"
#include "stress/stress_table.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

using namespace ipch;
using namespace ipch::stress;

namespace {

std::vector<std::string> problems_of(const StressCommand& command) {
    auto parsed = parse_stress_options(command);
    REQUIRE(std::holds_alternative<std::vector<std::string>>(parsed));
    return std::get<std::vector<std::string>>(parsed);
}

} // namespace

TEST_CASE("stress options: the defaults and a full set parse") {
    auto defaults = parse_stress_options(StressCommand{});
    REQUIRE(std::holds_alternative<StressConfig>(defaults));
    CHECK(std::get<StressConfig>(defaults).agents == std::vector<std::uint32_t>{1, 2, 4, 16});

    StressCommand command;
    command.backends = "named_mutex,robust_mutex";
    command.mapping = "file";
    command.agents = "1,3";
    command.duration = "250ms";
    command.warmup = "0";
    command.hold = "2us";
    command.payload = "4096";
    command.repeat = "3";
    auto parsed = parse_stress_options(command);
    REQUIRE(std::holds_alternative<StressConfig>(parsed));
    const StressConfig& config = std::get<StressConfig>(parsed);
    CHECK(config.backends ==
          std::vector<MutexKind>{MutexKind::named_mutex, MutexKind::robust_mutex});
    CHECK(config.mapping == MappingKind::file);
    CHECK(config.agents == std::vector<std::uint32_t>{1, 3});
    CHECK(config.duration_ns == 250'000'000);
    CHECK(config.warmup_ns == 0);
    CHECK(config.hold_ns == 2000);
    CHECK(config.payload_bytes == 4096);
    CHECK(config.repeat == 3);
}

TEST_CASE("stress options: every problem at once, each saying what was expected") {
    StressCommand command;
    command.backends = "named_mutx,spin";
    command.mapping = "disk";
    command.agents = "1,0,x";
    command.duration = "0s";
    command.hold = "fast";
    command.payload = "0";
    command.repeat = "-1";
    const std::vector<std::string> problems = problems_of(command);
    REQUIRE(problems.size() == 8);
    CHECK(problems[0] == "--backend: 'named_mutx' is not a mutex kind; expected one of: "
                         "named_mutex, interprocess_mutex, robust_mutex, named_semaphore, "
                         "file_lock, spin, none (did you mean 'named_mutex'?)");
    CHECK(problems[1] ==
          "--mapping: 'disk' is not a mapping kind; expected one of: shm, file, xsi");
    CHECK(problems[2] == "--agents: '0' is not an agent count; expected numbers from 1 to 256, "
                         "comma-separated (1,2,4,16)");
    CHECK(problems[3].rfind("--agents: 'x' is not an agent count", 0) == 0);
    CHECK(problems[4].rfind("--duration: '0s' is not a duration; expected a number and a unit",
                            0) == 0);
    CHECK(problems[5].rfind("--hold: 'fast' is not a duration; expected 0 or a number", 0) == 0);
    CHECK(problems[6].rfind("--payload: '0' is not a payload size", 0) == 0);
    CHECK(problems[7] == "--repeat: '-1' is not a repeat count; expected a number from 1 to 1000");
}

TEST_CASE("progress: a bar on a terminal, lines elsewhere, nothing with -q") {
    CHECK(progress_style(false, true) == ProgressStyle::bar);
    CHECK(progress_style(false, false) == ProgressStyle::lines);
    CHECK(progress_style(true, true) == ProgressStyle::none);
    CHECK(progress_style(true, false) == ProgressStyle::none);
}

TEST_CASE("progress: the bar shows the fraction, the case, elapsed time and the ETA") {
    CHECK(progress_bar(0.25, 2, 4, "spin agents=2 repeat=1", 3.0, 9.0) ==
          "[######------------------] 2/4  spin agents=2 repeat=1  elapsed 3.0s  ETA 9.0s");
    CHECK(progress_bar(0, 1, 4, "x", 0.1, std::nullopt) ==
          "[------------------------] 1/4  x  elapsed 0.1s");
    // Before a case has ended, the planned time left (8 s planned, a quarter done: 6 s), not
    // the elapsed time scaled by a fraction near zero.
    CHECK(eta_seconds(0.25, 0.1, 8.0, 0) == Approx(6.0));
    CHECK(eta_seconds(0.0, 0.0, 8.0, 0) == Approx(8.0));
    // Then the time so far, scaled: a quarter done in 3 s leaves 9 s.
    CHECK(eta_seconds(0.25, 3.0, 8.0, 1) == Approx(9.0));
}

TEST_CASE("progress: plain lines name each finished case, -q prints nothing") {
    StressCase done;
    done.key = CaseKey{MutexKind::spin, 2, 1};
    done.figures.acquisitions = 1234;
    done.figures.throughput = 6170.0;
    done.figures.wait.record(3210);
    std::ostringstream lines, quiet;
    {
        Progress progress(lines, ProgressStyle::lines, 2, 1000);
        progress.start_case(0, "spin agents=2 repeat=1");
        progress.end_case(done);
    }
    {
        Progress progress(quiet, ProgressStyle::none, 2, 1000);
        progress.start_case(0, "spin agents=2 repeat=1");
        progress.end_case(done);
    }
    CHECK(lines.str() == "stress: [1/2] spin agents=2 repeat=1: 1234 acquisitions, 6.17k/s, "
                         "wait p99 3.21us, ok\n");
    CHECK(quiet.str().empty());
}

TEST_CASE("table figures: times and rates in three significant digits") {
    CHECK(format_ns(std::nullopt) == "-");
    CHECK(format_ns(850) == "850ns");
    CHECK(format_ns(3214) == "3.21us");
    CHECK(format_ns(15'000'000) == "15.0ms");
    CHECK(format_ns(999'999) == "1.00ms");
    CHECK(format_ns(2'000'000'000) == "2.00s");
    CHECK(format_rate(950) == "950");
    CHECK(format_rate(51'234) == "51.2k");
    CHECK(format_rate(6'170'000) == "6.17M");
}

TEST_CASE("pinning: agent i on the i-th allowed CPU, round the list") {
    CHECK(pinned_command("/usr/bin/taskset", {0, 2}, 0, "/bin/ipc-agent") ==
          std::vector<std::string>{"/usr/bin/taskset", "-c", "0", "/bin/ipc-agent"});
    CHECK(pinned_command("/usr/bin/taskset", {0, 2}, 1, "/bin/ipc-agent")[2] == "2");
    CHECK(pinned_command("/usr/bin/taskset", {0, 2}, 2, "/bin/ipc-agent")[2] == "0");
    const std::vector<int> cpus = allowed_cpus();
    REQUIRE_FALSE(cpus.empty());
    CHECK(std::is_sorted(cpus.begin(), cpus.end()));
}

TEST_CASE("stress options: timing is sampled every 64th by default, full or sampled:K on asking") {
    const auto timing_of = [](const std::string& timing, const std::string& clock = "auto") {
        StressCommand command;
        command.timing = timing;
        command.clock = clock;
        return parse_stress_options(command);
    };
    const StressConfig defaults = std::get<StressConfig>(timing_of("sampled"));
    CHECK(defaults.timing == TimingMode::sampled);
    CHECK(defaults.sample_every == 64);
    CHECK(defaults.clock == ClockChoice::automatic);
    CHECK(timing_text(defaults) == "sampled, every 64th op stamped");
    const StressConfig full = std::get<StressConfig>(timing_of("full", "monotonic"));
    CHECK(full.timing == TimingMode::full);
    CHECK(full.sample_every == 1);
    CHECK(full.clock == ClockChoice::monotonic);
    CHECK(timing_text(full) == "full, every op stamped");
    const StressConfig every8 = std::get<StressConfig>(timing_of("sampled:8"));
    CHECK(every8.sample_every == 8);
    CHECK(timing_text(every8) == "sampled, every 8th op stamped");
    CHECK(timing_text(std::get<StressConfig>(timing_of("sampled:2"))) ==
          "sampled, every 2nd op stamped");
    // Every section stamped: full timing, by whichever name.
    const StressConfig every1 = std::get<StressConfig>(timing_of("sampled:1"));
    CHECK(every1.timing == TimingMode::full);
    CHECK(every1.sample_every == 1);

    const auto problems = std::get<std::vector<std::string>>(timing_of("sampled:0", "tsc"));
    REQUIRE(problems.size() == 2);
    CHECK(problems[0] == "--timing: 'sampled:0' has no sample rate; expected sampled:K, K from 1 "
                         "to 1000000");
    CHECK(problems[1] == "--clock: 'tsc' is not a clock; expected one of: auto, monotonic");
    const auto bad = std::get<std::vector<std::string>>(timing_of("full:3"));
    CHECK(bad.at(0) ==
          "--timing: 'full:3' is not a timing mode; expected one of: full, sampled, sampled:K");
}
