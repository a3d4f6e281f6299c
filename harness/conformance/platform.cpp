#include "conformance/platform.hpp"

#include <boost/version.hpp>
#include <fstream>
#include <gnu/libc-version.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace ipch::conformance {

namespace {

std::string kernel() {
    utsname name{};
    if (::uname(&name) != 0) return "";
    return std::string(name.sysname) + " " + name.release + " " + name.version + " " + name.machine;
}

std::string cpu_model() {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line;
    while (std::getline(cpuinfo, line)) {
        if (line.rfind("model name", 0) != 0) continue;
        const std::size_t colon = line.find(':');
        if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
    return "";
}

// BOOST_LIB_VERSION is "1_74": shown as Boost writes its releases.
std::string boost_version() {
    std::string version = BOOST_LIB_VERSION;
    for (char& c : version)
        if (c == '_') c = '.';
    return version;
}

} // namespace

Platform this_platform(const std::string& tool_version) {
    Platform platform;
    platform.kernel = kernel();
    platform.libc = std::string("glibc ") + gnu_get_libc_version();
    platform.boost = boost_version();
    platform.cpu = cpu_model();
    const long cores = ::sysconf(_SC_NPROCESSORS_ONLN);
    platform.cores = cores > 0 ? static_cast<unsigned>(cores) : 0;
    platform.tool_version = tool_version;
    return platform;
}

} // namespace ipch::conformance
