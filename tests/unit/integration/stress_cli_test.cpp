// `ipc-harness stress` and `compare` through the real binaries: a short real sweep's table and
// JSON, whose figures must agree with each other; progress only on a terminal; bad options;
// and docs/stress.md's commands, run as written with the exit codes they state.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// A distribution's figures are ordered, and its buckets add up to its count.
void check_distribution(const json& d, const std::string& what) {
    INFO(what);
    REQUIRE(d.is_object());
    const auto n = [&](const char* key) { return d.at(key).get<std::uint64_t>(); };
    CHECK(n("count") > 0);
    CHECK(n("min_ns") <= n("p50_ns"));
    CHECK(n("p50_ns") <= n("p90_ns"));
    CHECK(n("p90_ns") <= n("p99_ns"));
    CHECK(n("p99_ns") <= n("p99_9_ns"));
    CHECK(n("p99_9_ns") <= n("max_ns"));
    std::uint64_t in_buckets = 0;
    for (const json& bucket : d.at("buckets")) {
        CHECK(bucket[0].get<std::uint64_t>() <= bucket[1].get<std::uint64_t>());
        in_buckets += bucket[2].get<std::uint64_t>();
    }
    CHECK(in_buckets == n("count"));
}

// `warmed_up`: the case had a warmup, whose sections may fall between measured ones.
void check_case(const json& c, bool warmed_up = false) {
    INFO(c.at("backend").get<std::string>() << " agents=" << c.at("agents"));
    CHECK(c.at("outcome") == "ok");
    const json& f = c.at("figures");
    const auto agents = c.at("agents").get<std::size_t>();
    REQUIRE(f.at("per_agent").size() == agents);
    std::uint64_t sum = 0;
    for (const json& count : f.at("per_agent"))
        sum += count.get<std::uint64_t>();
    CHECK(f.at("acquisitions").get<std::uint64_t>() == sum);
    CHECK(sum > 0);
    const double jain = f.at("jain_index").get<double>();
    CHECK(jain > 0);
    CHECK(jain <= 1.0 + 1e-12);
    CHECK(f.at("throughput_per_s").get<double>() > 0);
    check_distribution(f.at("wait"), "wait");
    check_distribution(f.at("hold"), "hold");
    // The distributions come from the stamped sections: all of them in full timing, every K-th
    // of each agent's in sampled.
    const auto stamped = f.at("stamped").get<std::uint64_t>();
    CHECK(stamped >= 1);
    CHECK(stamped <= sum);
    CHECK(f.at("wait").at("count") == stamped);
    CHECK(f.at("hold").at("count") == stamped);
    // The histogram keeps the exact maximum: the longest wait is it.
    CHECK(f.at("longest_wait_ns") == f.at("wait").at("max_ns"));
    const json& clock = c.at("clock");
    CHECK(clock.at("tsc_agents").get<std::size_t>() +
              clock.at("monotonic_agents").get<std::size_t>() ==
          agents);
    if (stamped < sum) {
        // Sampled: hand-offs and runs need every section in lock order.
        CHECK(f.at("longest_run").is_null());
        CHECK(f.at("handoff").is_null());
    } else {
        const auto run = f.at("longest_run").get<std::uint64_t>();
        CHECK(run >= 1);
        CHECK(run <= sum);
        // With one agent every section follows the one before it (its warmup's came before all).
        if (agents == 1) CHECK(run == sum);
        if (sum > 1) {
            check_distribution(f.at("handoff"), "handoff");
            // Every pair of measured sections in a row is a hand-off, except across a section of
            // the warmup (one agent may still warm up while another measures).
            const auto handoffs = f.at("handoff").at("count").get<std::uint64_t>();
            if (warmed_up)
                CHECK(handoffs <= sum - 1);
            else
                CHECK(handoffs == sum - 1);
        }
    }
    bool mutual_exclusion = false;
    for (const json& verdict : c.at("verdicts"))
        if (verdict.at("id") == "mutual-exclusion")
            mutual_exclusion = verdict.at("verdict") == "pass";
    CHECK(mutual_exclusion);
}

int shell(const std::string& command) {
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string harness_exe() {
    return std::string(IPCH_BIN_DIR) + "/ipc-harness";
}

} // namespace

TEST_CASE("stress: a short sweep prints its table, one progress line per case, and its JSON") {
    const TempDir dir("stress-sweep");
    const HarnessRun run = run_harness({"stress", "--backend", "named_mutex,spin", "--agents",
                                        "1,2", "--duration", "200ms", "--out", "out"},
                                       dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(leftovers(run).empty());
    // stderr is a file: plain lines, no bar.
    const std::vector<std::string> progress = lines_of(run.err);
    REQUIRE(progress.size() == 4);
    for (std::size_t i = 0; i < 4; ++i)
        CHECK(progress[i].rfind("stress: [" + std::to_string(i + 1) + "/4] ", 0) == 0);
    CHECK(run.err.find('\r') == std::string::npos);
    // The table: a header and one row per case, backend then agents; then where the JSON went.
    const std::vector<std::string> table = lines_of(run.out);
    REQUIRE(table.size() == 7);
    CHECK(
        std::regex_search(table[0], std::regex("^backend +agents +rep +acquisitions +acq/s +"
                                               "wait p50 +p90 +p99 +p99.9 +max +hold p50 +"
                                               "hand-off p50 +p99 +jain +longest run +verdict$")));
    CHECK(std::regex_search(table[1], std::regex("^named_mutex +1 +1 +[0-9]+ .* ok$")));
    CHECK(std::regex_search(table[2], std::regex("^named_mutex +2 +1 +[0-9]+ .* ok$")));
    CHECK(std::regex_search(table[3], std::regex("^spin +1 +1 .* ok$")));
    CHECK(std::regex_search(table[4], std::regex("^spin +2 +1 .* ok$")));
    // Which timing and clock the figures come from.
    CHECK(
        std::regex_search(table[5], std::regex("^timing: sampled, every 64th op stamped \\(counts "
                                               "exact.*\\); clock: (tsc|monotonic)")));
    CHECK(table[6] == "json: out/stress.json");

    const json report = read_json(dir.path() / "out" / "stress.json");
    CHECK(report.at("kind") == "ipc-harness stress");
    const json& environment = report.at("environment");
    CHECK_FALSE(environment.at("cpu_model").get<std::string>().empty());
    CHECK(environment.at("cores").get<unsigned>() >= 1);
    CHECK(environment.at("kernel").get<std::string>().rfind("Linux ", 0) == 0);
    CHECK(environment.at("boost_version") == "1.74.0");
    CHECK(environment.at("load_average").size() == 3);
    CHECK(environment.at("timing_mode") == "sampled, every 64th op stamped");
    CHECK(environment.at("invariant_tsc").is_boolean());
    CHECK(report.at("config").at("timing") ==
          json{{"mode", "sampled"}, {"sample_every", 64}, {"clock", "auto"}});
    CHECK(report.at("config").at("duration_ns") == 200'000'000);
    REQUIRE(report.at("cases").size() == 4);
    for (const json& c : report.at("cases"))
        check_case(c);
    // Every case passed: no run directory is kept.
    CHECK_FALSE(fs::exists(dir.path() / "out" / "runs"));
}

TEST_CASE("stress: --timing full stamps every section, sampled:K every K-th and counts all") {
    const TempDir dir("stress-timing");
    const auto sweep = [&](const std::string& timing, const std::string& json_name) {
        const HarnessRun run =
            run_harness({"stress", "--backend", "named_mutex", "--agents", "2", "--duration",
                         "150ms", "--timing", timing, "--json", json_name, "-q"},
                        dir.path());
        INFO(run.out << run.err);
        REQUIRE(run.exit_code == 0);
        CHECK(leftovers(run).empty());
        return std::pair(lines_of(run.out), read_json(dir.path() / json_name));
    };
    const auto [full_lines, full] = sweep("full", "full.json");
    CHECK(full_lines.back().rfind("timing: full, every op stamped; clock: ", 0) == 0);
    const json& f = full.at("cases").at(0).at("figures");
    check_case(full.at("cases").at(0));
    CHECK(f.at("stamped") == f.at("acquisitions"));

    const auto [sampled_lines, sampled] = sweep("sampled:8", "sampled.json");
    CHECK(sampled_lines.back().rfind("timing: sampled, every 8th op stamped", 0) == 0);
    CHECK(sampled.at("config").at("timing").at("sample_every") == 8);
    const json& s = sampled.at("cases").at(0).at("figures");
    check_case(sampled.at("cases").at(0));
    // Every agent stamps its 1st, 9th, 17th, ... section: about an 8th of its count (rounded up,
    // per agent), never more.
    const auto acquisitions = s.at("acquisitions").get<std::uint64_t>();
    const auto stamped = s.at("stamped").get<std::uint64_t>();
    CHECK(acquisitions > 16);
    CHECK(stamped <= acquisitions / 8 + 2);
    CHECK(stamped >= acquisitions / 8);
}

TEST_CASE("stress: sampled timing still catches a lock that does not exclude") {
    // Negative control: no lock at all. The unstamped sections keep the owner word, so the
    // stamped ones that overlap them find it taken.
    const TempDir dir("stress-sampled-none");
    const HarnessRun run =
        run_harness({"stress", "--backend", "none", "--agents", "2", "--duration", "200ms",
                     "--timing", "sampled:8", "--json", "none.json", "-q"},
                    dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const json c = read_json(dir.path() / "none.json").at("cases").at(0);
    CHECK(c.at("outcome") == "fail");
    bool caught = false;
    for (const json& verdict : c.at("verdicts"))
        if (verdict.at("id") == "mutual-exclusion") caught = verdict.at("verdict") == "fail";
    CHECK(caught);
    if (c.at("run_dir").is_string()) fs::remove_all(c.at("run_dir").get<std::string>());
}

TEST_CASE("stress: a warmup is run but not counted, -q prints no progress") {
    const TempDir dir("stress-warmup");
    const HarnessRun run =
        run_harness({"stress", "--backend", "interprocess_mutex", "--agents", "2", "--duration",
                     "100ms", "--warmup", "100ms", "--hold", "1us", "--json", "w.json", "-q"},
                    dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(run.err.empty());
    CHECK(lines_of(run.out).size() == 3); // the table and its timing line: no "json:" line
    const json c = read_json(dir.path() / "w.json").at("cases").at(0);
    check_case(c, true);
    // Held for 1 us at least, every measured section.
    CHECK(c.at("figures").at("hold").at("min_ns").get<std::uint64_t>() >= 1000);
    // 2 agents for 200 ms in all, of which the measured 100 ms: the span measured is well under
    // the whole case's.
    CHECK(c.at("figures").at("measured_s").get<double>() < 0.19);
}

TEST_CASE("stress: the progress bar shows on a terminal, and not with -q") {
    // Without util-linux's `script` there is no terminal to give it: the unit test of
    // progress_style covers the decision, this the real thing where it can.
    if (shell("command -v script >/dev/null 2>&1") != 0) {
        WARN("no `script` to give the harness a terminal: not tested here");
        return;
    }
    const TempDir dir("stress-tty");
    const std::string stress = harness_exe() + " stress --backend spin --agents 1 --duration 300ms";
    const auto in_terminal = [&](const std::string& command, const std::string& name) {
        const fs::path out = dir.path() / name;
        const int code = shell("cd '" + dir.path().string() + "' && script -qec '" + command +
                               "' /dev/null > '" + out.string() + "' 2>&1 < /dev/null");
        CHECK(code == 0);
        return read_text(out);
    };
    const std::string shown = in_terminal(stress, "tty.txt");
    INFO(shown);
    CHECK(shown.find("\r[") != std::string::npos);
    CHECK(shown.find("1/1  spin agents=1 repeat=1  elapsed ") != std::string::npos);
    CHECK(shown.find("stress: [1/1]") == std::string::npos);
    const std::string quiet = in_terminal(stress + " -q", "quiet.txt");
    INFO(quiet);
    CHECK(quiet.find("elapsed") == std::string::npos);
    CHECK(quiet.find("spin") != std::string::npos); // the table still is
}

TEST_CASE("stress and compare: bad options exit 2 with every problem, running nothing") {
    const TempDir dir("stress-bad");
    const HarnessRun run = run_harness(
        {"stress", "--backend", "robust", "--agents", "2,0", "--duration", "1x"}, dir.path());
    CHECK(run.exit_code == 2);
    CHECK(run.out.empty());
    CHECK(run.err == "ipc-harness stress: --backend: 'robust' is not a mutex kind; expected one "
                     "of: named_mutex, interprocess_mutex, robust_mutex, named_semaphore, "
                     "file_lock, spin, none\n"
                     "ipc-harness stress: --agents: '0' is not an agent count; expected numbers "
                     "from 1 to 256, comma-separated (1,2,4,16)\n"
                     "ipc-harness stress: --duration: '1x' is not a duration; expected a number "
                     "and a unit (ns, us, ms, s, m), more than 0, at most 24 hours, e.g. 2s, "
                     "500ms\n");
    CHECK(fs::is_empty(dir.path()));

    const std::string not_stress = write_file(dir.path(), "results.json", R"({"scenarios": []})");
    const HarnessRun missing = run_harness({"compare", "nothing.json", "results.json"}, dir.path());
    CHECK(missing.exit_code == 2);
    CHECK(missing.err ==
          "ipc-harness compare: cannot read nothing.json: No such file or directory\n"
          "ipc-harness compare: results.json: not a stress JSON (its \"kind\" is "
          "not \"ipc-harness stress\")\n");
    const HarnessRun threshold =
        run_harness({"compare", "results.json", "results.json", "--threshold", "-5"}, dir.path());
    CHECK(threshold.exit_code == 2);
    CHECK(threshold.err == "--threshold: expected a percentage of 0 or more, got -5\n"
                           "Run with --help for more information.\n");
}

TEST_CASE("docs/stress.md: its commands run as written, with the exit codes they state") {
    // Every line of a ```sh block that starts with `ipc-harness`; `# exit N` after it states
    // its exit code (0 when absent).
    std::ifstream doc(source_path("docs/stress.md"));
    REQUIRE(doc);
    std::vector<std::pair<std::string, int>> commands;
    bool in_sh = false;
    for (std::string line; std::getline(doc, line);) {
        if (line.rfind("```", 0) == 0) {
            in_sh = !in_sh && line == "```sh";
            continue;
        }
        if (!in_sh || line.rfind("ipc-harness ", 0) != 0) continue;
        std::smatch exit;
        const int code =
            std::regex_search(line, exit, std::regex("# exit ([0-9]+)")) ? std::stoi(exit[1]) : 0;
        commands.emplace_back(line.substr(0, line.find(" #")), code);
    }
    REQUIRE(commands.size() >= 4);
    const TempDir dir("stress-doc");
    for (const auto& [command, code] : commands) {
        std::vector<std::string> words;
        std::istringstream in(command.substr(std::string("ipc-harness ").size()));
        for (std::string word; in >> word;)
            words.push_back(word);
        const HarnessRun run = run_harness(words, dir.path());
        INFO(command << "\n" << run.out << run.err);
        CHECK(run.exit_code == code);
        CHECK(leftovers(run).empty());
    }
}

namespace {

// "Cpus_allowed_list" of a live ipc-agent process (not the taskset that starts it), or "".
std::string agent_cpus(int pid) {
    const fs::path proc = fs::path("/proc") / std::to_string(pid);
    if (read_text(proc / "comm") != "ipc-agent\n") return "";
    std::istringstream status(read_text(proc / "status"));
    for (std::string line; std::getline(status, line);)
        if (line.rfind("Cpus_allowed_list:", 0) == 0)
            return line.substr(line.find_last_of(" \t") + 1);
    return "";
}

} // namespace

TEST_CASE("stress --pin: each agent runs on a core of its own, in turn") {
    const TempDir dir("stress-pin");
    std::map<int, std::string> cpus; // agent pid -> its allowed CPUs, seen while it ran
    const auto watch = [&](int) {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (cpus.size() < 2 && std::chrono::steady_clock::now() < until) {
            for (const int pid : agent_pids(dir.path().string()))
                if (const std::string list = agent_cpus(pid); !list.empty()) cpus[pid] = list;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    };
    const HarnessRun run = run_harness({"stress", "--backend", "named_mutex", "--agents", "2",
                                        "--duration", "1s", "--pin", "-q", "--json", "p.json"},
                                       dir.path(), std::chrono::seconds(60), watch);
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    check_case(read_json(dir.path() / "p.json").at("cases").at(0));
    REQUIRE(cpus.size() == 2);
    std::set<std::string> distinct;
    for (const auto& [pid, list] : cpus) {
        INFO("agent " << pid << " may run on " << list);
        CHECK(list.find_first_not_of("0123456789") == std::string::npos); // one CPU, not a range
        distinct.insert(list);
    }
    if (std::thread::hardware_concurrency() >= 2) CHECK(distinct.size() == 2);
}

TEST_CASE("stress: a case whose lock does not exclude fails its verdict, exits 1, keeps its run") {
    // The negative control: `none` takes no lock, and 2 agents holding 1 us overlap.
    const TempDir dir("stress-none");
    const HarnessRun run = run_harness({"stress", "--backend", "none", "--agents", "2",
                                        "--duration", "200ms", "--hold", "1us", "-q", "--out", "o"},
                                       dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK(std::regex_search(run.out, std::regex("\nnone +2 +1 .* FAIL mutual-exclusion\n")));
    const json c = read_json(dir.path() / "o" / "stress.json").at("cases").at(0);
    CHECK(c.at("outcome") == "fail");
    CHECK(fs::is_directory(c.at("run_dir").get<std::string>()));
    CHECK(leftovers(run).empty());
}
