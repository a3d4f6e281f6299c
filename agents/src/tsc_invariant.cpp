#include "ipch/tsc_invariant.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace ipch {

bool tsc_is_invariant(std::string_view cpuinfo) {
    const std::size_t at = cpuinfo.find("\nflags");
    if (at == std::string_view::npos) return false;
    const std::size_t end = cpuinfo.find('\n', at + 1);
    const std::string line(cpuinfo.substr(at, end == std::string_view::npos ? end : end - at));
    const auto has = [&](const std::string& flag) {
        return (line + " ").find(" " + flag + " ") != std::string::npos;
    };
    return has("constant_tsc") && has("nonstop_tsc");
}

bool tsc_is_invariant_here() {
#if defined(__x86_64__)
    std::ifstream in("/proc/cpuinfo");
    std::stringstream text;
    text << in.rdbuf();
    return tsc_is_invariant(text.str());
#else
    return false;
#endif
}

} // namespace ipch
