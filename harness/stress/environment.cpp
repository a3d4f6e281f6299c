// The machine a sweep ran on: what a reader of its figures needs to compare them with others.
#include "ipch/tsc_invariant.hpp"
#include "stress/stress.hpp"

#include <boost/version.hpp>
#include <cstdlib>
#include <fstream>
#include <sys/utsname.h>
#include <thread>

namespace ipch::stress {

namespace {

// The first value of `keys` in /proc/cpuinfo; empty without one.
std::string cpuinfo_value(std::initializer_list<std::string_view> keys) {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos || colon == 0) continue;
        const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
        for (const std::string_view wanted : keys)
            if (key == wanted) {
                const std::size_t value = line.find_first_not_of(" \t", colon + 1);
                return value == std::string::npos ? "" : line.substr(value);
            }
    }
    return "";
}

// "model name" (x86) or "Model" (some ARM boards); "unknown" without one.
std::string cpu_model() {
    const std::string model = cpuinfo_value({"model name", "Model"});
    return model.empty() ? "unknown" : model;
}

std::string kernel() {
    utsname name{};
    if (::uname(&name) != 0) return "unknown";
    return std::string(name.sysname) + " " + name.release;
}

// BOOST_VERSION is 107400 for 1.74.0.
std::string boost_version() {
    return std::to_string(BOOST_VERSION / 100000) + "." +
           std::to_string(BOOST_VERSION / 100 % 1000) + "." + std::to_string(BOOST_VERSION % 100);
}

} // namespace

Environment read_environment() {
    Environment environment;
    environment.cpu_model = cpu_model();
    environment.cores = std::thread::hardware_concurrency();
    environment.kernel = kernel();
    environment.boost_version = boost_version();
    environment.invariant_tsc = tsc_is_invariant_here();
    if (::getloadavg(environment.load_average, 3) != 3)
        environment.load_average[0] = environment.load_average[1] = environment.load_average[2] =
            -1;
    return environment;
}

} // namespace ipch::stress
