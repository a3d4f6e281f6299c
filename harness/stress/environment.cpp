// The machine a sweep ran on: what a reader of its figures needs to compare them with others.
#include "stress/stress.hpp"

#include <boost/version.hpp>
#include <cstdlib>
#include <fstream>
#include <sys/utsname.h>
#include <thread>

namespace ipch::stress {

namespace {

// /proc/cpuinfo's first "model name" (x86) or "Model" (some ARM boards); "unknown" without one.
std::string cpu_model() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key = line.substr(0, line.find_last_not_of(" \t", colon - 1) + 1);
        if (key == "model name" || key == "Model")
            return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
    return "unknown";
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
    if (::getloadavg(environment.load_average, 3) != 3)
        environment.load_average[0] = environment.load_average[1] = environment.load_average[2] =
            -1;
    return environment;
}

} // namespace ipch::stress
