// The platform a conformance matrix was measured on: its answers hold for this kernel, libc,
// Boost and CPU, and may differ on another.
#pragma once

#include <string>

namespace ipch::conformance {

struct Platform {
    std::string kernel;       // uname: system, release, version, machine
    std::string libc;         // "glibc 2.36"
    std::string boost;        // "1.74"
    std::string cpu;          // /proc/cpuinfo's model name ("" when it has none)
    unsigned cores = 0;       // online processors
    std::string tool_version; // ipc-harness's
};

Platform this_platform(const std::string& tool_version);

} // namespace ipch::conformance
