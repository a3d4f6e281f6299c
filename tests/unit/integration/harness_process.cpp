#include "harness_process.hpp"

#include <algorithm>
#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/io.hpp>
#include <boost/process/start_dir.hpp>
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ipch::test {

namespace fs = std::filesystem;
namespace bp = boost::process;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TempDir::TempDir(const std::string& tag) {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("ipch-it-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

namespace {

struct ProcessGroupLeader : bp::extend::handler {
    bool enabled = false;
    template <typename Executor>
    void on_exec_setup(Executor&) const {
        if (enabled) ::setpgid(0, 0);
    }
};

} // namespace

HarnessRun run_harness(const std::vector<std::string>& args, const fs::path& cwd,
                       const HarnessOptions& options) {
    const auto& limit = options.limit;
    const auto& while_running = options.while_running;
    // The harness's output goes to files of our own, never into `cwd`, which may be a folder of
    // the source tree (the bad scenario files are run where they lie).
    const TempDir capture("capture");
    const fs::path out_file = capture.path() / "stdout";
    const fs::path err_file = capture.path() / "stderr";
    const auto started = std::chrono::steady_clock::now();
    ProcessGroupLeader group;
    group.enabled = options.own_process_group;
    bp::child child(std::string(IPCH_BIN_DIR) + "/ipc-harness", bp::args(args),
                    bp::start_dir(cwd.string()), bp::std_out > out_file.string(),
                    bp::std_err > err_file.string(), bp::std_in < bp::null, group);
    HarnessRun run;
    run.pid = child.id();
    std::error_code ec;
    if (while_running) {
        try {
            while_running(child.id());
        } catch (...) {
            // Never leave the harness to be SIGKILLed by ~child: it could not clean up.
            ::kill(child.id(), SIGINT);
            child.wait(ec);
            throw;
        }
    }
    while (child.running(ec)) {
        if (std::chrono::steady_clock::now() - started > limit) {
            ::kill(child.id(), SIGKILL);
            child.wait(ec);
            run.err = "test: ipc-harness did not end within its limit; killed\n";
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const int status = child.native_exit_code();
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    run.out = slurp(out_file);
    run.err += slurp(err_file);
    return run;
}

std::vector<std::string> leftovers(int harness_pid) {
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "ipch-%07x", static_cast<unsigned>(harness_pid));
    std::vector<std::string> found;
    for (const std::string& name : our_shm_entries()) {
        const std::string bare = name.rfind("sem.", 0) == 0 ? name.substr(4) : name;
        if (bare.rfind(prefix, 0) == 0) found.push_back(name);
    }
    return found;
}

nlohmann::json read_json(const fs::path& path) {
    return nlohmann::json::parse(slurp(path));
}

std::string read_text(const fs::path& path) {
    return slurp(path);
}

const nlohmann::json& report_entry(const nlohmann::json& scenario, const std::string& list,
                                   const std::string& key, const std::string& value) {
    for (const nlohmann::json& entry : scenario.at(list))
        if (entry.at(key) == value) return entry;
    FAIL("no entry with " << key << " '" << value << "' in the report's " << list);
    throw std::logic_error("unreachable");
}

std::vector<std::string> our_shm_entries() {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator("/dev/shm")) {
        const std::string name = entry.path().filename().string();
        const std::string bare = name.rfind("sem.", 0) == 0 ? name.substr(4) : name;
        if (bare.rfind("ipch-", 0) == 0 || bare == "YourMemoryMappedFileName" ||
            bare == "NonPersisterMemoryMappedFilemutex")
            found.push_back(name);
    }
    return found;
}

std::vector<int> agent_pids(const std::string& needle, const std::string& also) {
    std::vector<int> pids;
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        std::string cmdline = slurp(entry.path() / "cmdline");
        std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
        if (cmdline.find("ipc-agent") != std::string::npos &&
            cmdline.find(needle) != std::string::npos && cmdline.find(also) != std::string::npos)
            pids.push_back(std::stoi(pid));
    }
    return pids;
}

bool wait_for_agents(const fs::path& dir, std::size_t n) {
    for (int i = 0; i < 1000; ++i) {
        if (agent_pids(dir.string()).size() >= n) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

int zombie_children(int parent) {
    int zombies = 0;
    const std::string self = std::to_string(parent);
    for (const auto& entry : fs::directory_iterator("/proc")) {
        const std::string pid = entry.path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
        // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so parse after ')'.
        const std::string stat = slurp(entry.path() / "stat");
        const auto close = stat.rfind(')');
        if (close == std::string::npos) continue;
        std::istringstream rest(stat.substr(close + 2));
        std::string state, ppid;
        rest >> state >> ppid;
        if (state == "Z" && ppid == self) ++zombies;
    }
    return zombies;
}

std::string source_path(const std::string& relative) {
    return std::string(IPCH_SOURCE_DIR) + "/" + relative;
}

std::string write_file(const fs::path& dir, const std::string& name, const std::string& text) {
    const fs::path path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
}

} // namespace ipch::test
