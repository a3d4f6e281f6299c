#include "run/run_registry.hpp"

#include "run/name_lock.hpp"
#include "run/named_objects.hpp"
#include "run/proc_stat.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <sys/file.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ipch {

namespace {

// ipch-<run-id>-<role>, or sem.ipch-<run-id>-<role> for a POSIX semaphore; run ids are 13 hex
// digits (new_run_id) or "s" and 12 (seeded_run_id).
const std::regex object_pattern("^(sem\\.)?ipch-([0-9a-f]{13}|s[0-9a-f]{12})-[A-Za-z0-9._-]+$");
const std::regex lock_pattern("^ipch-([0-9a-f]{13}|s[0-9a-f]{12})\\.lock$");

// A process's start, in clock ticks after boot (field 22 of /proc/PID/stat); nullopt when
// there is no such process.
std::optional<unsigned long long> process_start(int pid) {
    const auto fields = proc_stat_fields(pid);
    constexpr std::size_t start_field = 22 - 3; // proc_stat_fields begins at field 3
    if (!fields || fields->size() <= start_field) return std::nullopt;
    unsigned long long start = 0;
    std::istringstream text((*fields)[start_field]);
    if (!(text >> start)) return std::nullopt;
    return start;
}

std::optional<double> uptime_seconds() {
    std::ifstream in("/proc/uptime");
    double up = 0;
    if (!(in >> up)) return std::nullopt;
    return up;
}

// Whether the pid a run id names is the controller that made it: a process with that pid
// that started before the run's oldest object was made (a pid reused since would start later).
bool controller_alive(int pid, fs::file_time_type oldest_object, std::string& why) {
    const auto start = process_start(pid);
    if (!start) {
        why = "its controller (pid " + std::to_string(pid) + ") is not running";
        return false;
    }
    const auto up = uptime_seconds();
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    if (up && ticks > 0) {
        const double age_s = *up - static_cast<double>(*start) / ticks;
        const auto object_age = fs::file_time_type::clock::now() - oldest_object;
        const double object_age_s = std::chrono::duration<double>(object_age).count();
        if (age_s + 1.0 < object_age_s) {
            why = "pid " + std::to_string(pid) +
                  " was reused: that process is younger than the "
                  "run's objects";
            return false;
        }
    }
    why = "its controller (pid " + std::to_string(pid) + ") is running";
    return true;
}

// Alive while its registry lock is held. Without a lock file (a run of a version before the
// registry, or a removed temp folder), by its controller's pid.
bool run_alive(const std::string& run_id, fs::file_time_type oldest_object, std::string& why) {
    const fs::path lock = name_lock_path(registry_lock_name(run_id));
    const int fd = ::open(lock.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
        ::close(fd);
        why = held ? "its registry lock is held (" + lock.string() + ")"
                   : "its registry lock is free: the run's controller is gone";
        return held;
    }
    if (const auto pid = pid_of_run_id(run_id)) return controller_alive(*pid, oldest_object, why);
    why = "a seeded run with no registry lock";
    return false;
}

} // namespace

std::string registry_lock_name(const std::string& run_id) {
    return "ipch-" + run_id;
}

bool is_seeded_run_id(const std::string& run_id) {
    return !run_id.empty() && run_id.front() == 's';
}

std::optional<int> pid_of_run_id(const std::string& run_id) {
    if (is_seeded_run_id(run_id) || run_id.size() < 7) return std::nullopt;
    try {
        return std::stoi(run_id.substr(0, 7), nullptr, 16);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string run_record(const Plan& plan) {
    std::ostringstream out;
    out << "run " << plan.run_id << "\n"
        << "mapping " << to_string(plan.mapping_kind) << " " << plan.mapping.name
        << (plan.mapping.fixed ? " fixed" : "") << "\n"
        << "mutex " << to_string(plan.mutex_kind) << " " << plan.mutex.name
        << (plan.mutex.fixed ? " fixed" : "") << "\n"
        << "control " << plan.control.name << "\n"
        << "run_dir " << plan.run_dir.string() << "\n";
    return out.str();
}

std::vector<RunLeftovers> find_leftovers() {
    std::map<std::string, RunLeftovers> runs;
    std::map<std::string, fs::file_time_type> oldest;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/dev/shm", ec)) {
        const std::string name = entry.path().filename().string();
        std::smatch match;
        if (!std::regex_match(name, match, object_pattern)) continue;
        const std::string run_id = match[2];
        runs[run_id].objects.push_back({entry.path().string(), entry.path().string(), -1});
        const auto time = fs::last_write_time(entry.path(), ec);
        if (!ec && (!oldest.count(run_id) || time < oldest[run_id])) oldest[run_id] = time;
    }
    for (const auto& entry : fs::directory_iterator(name_lock_directory(), ec)) {
        std::smatch match;
        const std::string name = entry.path().filename().string();
        // A seeded id's lock file is shared by every run of that id and stays (name_lock.cpp);
        // any other is its run's alone, and a leftover itself once the run is gone.
        if (std::regex_match(name, match, lock_pattern) && !is_seeded_run_id(match[1]))
            runs[match[1]];
    }
    std::vector<RunLeftovers> found;
    for (auto& [run_id, run] : runs) {
        run.run_id = run_id;
        // The xsi kind's segment is found by its key, which comes from the mapping's name.
        const std::int32_t key = xsi_key_for("ipch-" + run_id + "-map");
        if (const int id = ::shmget(key, 0, 0); id >= 0)
            run.objects.push_back({"xsi segment " + xsi_key_text(key), "", id});
        const auto time = oldest.count(run_id) ? oldest[run_id] : fs::file_time_type::clock::now();
        run.alive = run_alive(run_id, time, run.why);
        found.push_back(std::move(run));
    }
    return found;
}

std::vector<std::string> remove_leftovers(const RunLeftovers& run) {
    std::vector<std::string> failed;
    for (const Leftover& object : run.objects) {
        std::error_code ec;
        if (!object.path.empty()) {
            if (!fs::remove(object.path, ec) && ec)
                failed.push_back(object.what + ": " + ec.message());
        } else if (::shmctl(object.xsi_id, IPC_RMID, nullptr) != 0 && errno != EINVAL) {
            failed.push_back(object.what + ": " + std::strerror(errno));
        }
    }
    // Its registry entry, taken first so that nothing starts under it meanwhile; a seeded id's is
    // shared with later runs of that id and stays.
    NameLock lock;
    std::string why;
    if (!is_seeded_run_id(run.run_id) && lock.try_take(registry_lock_name(run.run_id), why))
        lock.remove_and_release(registry_lock_name(run.run_id));
    return failed;
}

} // namespace ipch
