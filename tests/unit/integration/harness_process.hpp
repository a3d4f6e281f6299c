// Running the real ipc-harness binary from tests: arguments in; exit code, output and the JSON
// report out. Output goes to files (never a pipe nobody drains).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ipch::test {

struct HarnessRun {
    int pid = 0;
    int exit_code = -1;
    std::string out;
    std::string err;
    double seconds = 0;
};

// A fresh, empty folder for one test, removed by the destructor.
class TempDir {
  public:
    explicit TempDir(const std::string& tag);
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

struct HarnessOptions {
    std::chrono::seconds limit{120}; // the harness is killed after this
    // Called once with the harness's pid shortly after its start.
    std::function<void(int pid)> while_running;
    // Start the harness as the leader of a process group, as a shell does for a job.
    bool own_process_group = false;
};

// Runs `ipc-harness ARGS...` with its working directory `cwd`.
HarnessRun run_harness(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                       const HarnessOptions& options);

inline HarnessRun run_harness(const std::vector<std::string>& args,
                              const std::filesystem::path& cwd,
                              std::chrono::seconds limit = std::chrono::seconds(120),
                              const std::function<void(int pid)>& while_running = {}) {
    return run_harness(args, cwd, HarnessOptions{limit, while_running, false});
}

nlohmann::json read_json(const std::filesystem::path& path);

// A whole file as text ("" when it cannot be read).
std::string read_text(const std::filesystem::path& path);

// The entry of a scenario's report list (`properties`, `agents`, `requirements`) whose `key` is
// `value`; a failed check when there is none.
const nlohmann::json& report_entry(const nlohmann::json& scenario, const std::string& list,
                                   const std::string& key, const std::string& value);
inline const nlohmann::json& property(const nlohmann::json& scenario, const std::string& id) {
    return report_entry(scenario, "properties", "id", id);
}

// The entries of /dev/shm that belong to ipc-harness: ipch-*, sem.ipch-*, and the classic's
// fixed names.
std::vector<std::string> our_shm_entries();

// The entries of /dev/shm left by one harness process: its run ids begin with its pid in hex,
// so this sees only that run's objects, whatever else runs on the machine at the same time.
std::vector<std::string> leftovers(int harness_pid);
inline std::vector<std::string> leftovers(const HarnessRun& run) {
    return leftovers(run.pid);
}

// Pids of live ipc-agent processes whose command line mentions `needle` (and `also`).
std::vector<int> agent_pids(const std::string& needle, const std::string& also = {});

// Waits until `n` ipc-agent processes whose command line mentions `dir` are alive, or gives up
// after 10 s (false).
bool wait_for_agents(const std::filesystem::path& dir, std::size_t n = 1);

// Zombie children of process `parent`.
int zombie_children(int parent);

std::string source_path(const std::string& relative);
std::string write_file(const std::filesystem::path& dir, const std::string& name,
                       const std::string& text);

} // namespace ipch::test
