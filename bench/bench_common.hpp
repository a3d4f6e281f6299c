// Small helpers the run-pipeline benchmarks (spawn, overhead, scale) share: their main, a scratch
// folder, medians and readable figures (the agent is run.hpp's default_agent_exe). Header-only:
// bench/CMakeLists.txt builds one program per bench/*.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace ipch::bench {

namespace fs = std::filesystem;

// A fresh folder under the temp directory for run directories and logs; the caller removes it.
inline fs::path scratch_dir(const std::string& what) {
    std::string pattern = (fs::temp_directory_path() / ("ipch-bench-" + what + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("cannot create a scratch folder " + pattern);
    return pattern;
}

// Removes the scratch folder on every exit path.
class ScratchDir {
  public:
    explicit ScratchDir(const std::string& what) : path_(scratch_dir(what)) {}
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

inline std::uint64_t monotonic_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u +
           static_cast<std::uint64_t>(ts.tv_nsec);
}

// The median (the mean of the middle two for an even count); 0 for none.
template <class T>
double median(std::vector<T> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t mid = values.size() / 2;
    return values.size() % 2 ? static_cast<double>(values[mid])
                             : (static_cast<double>(values[mid - 1]) + values[mid]) / 2.0;
}

// "12.3 ms", "850 us", "1.20 s": three significant digits.
inline std::string seconds_text(double seconds) {
    char text[32];
    if (seconds >= 1)
        std::snprintf(text, sizeof text, "%.3g s", seconds);
    else if (seconds >= 1e-3)
        std::snprintf(text, sizeof text, "%.3g ms", seconds * 1e3);
    else
        std::snprintf(text, sizeof text, "%.3g us", seconds * 1e6);
    return text;
}

// "1.23 M", "456 k": three significant digits.
inline std::string count_text(double count) {
    char text[32];
    if (count >= 1e6)
        std::snprintf(text, sizeof text, "%.3g M", count / 1e6);
    else if (count >= 1e3)
        std::snprintf(text, sizeof text, "%.3g k", count / 1e3);
    else
        std::snprintf(text, sizeof text, "%.3g", count);
    return text;
}

// "1.50 MiB", "96.0 KiB".
inline std::string bytes_text(double bytes) {
    char text[32];
    if (bytes >= 1 << 20)
        std::snprintf(text, sizeof text, "%.3g MiB", bytes / (1 << 20));
    else
        std::snprintf(text, sizeof text, "%.3g KiB", bytes / 1024);
    return text;
}

// A benchmark's main: run(parse(argc, argv)) as its exit code. A bad command line (parse throws
// std::invalid_argument, its message the usage) exits 2; anything else that stops it exits 3, its
// message on stderr after the program's name.
template <class Parse, class Run>
int bench_main(const char* name, int argc, char** argv, Parse parse, Run run) {
    try {
        return run(parse(argc, argv));
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return 3;
    }
}

} // namespace ipch::bench
