#include "report_files.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <spdlog/spdlog.h>

namespace ipch {

bool write_report(const std::string& path, const std::function<void(std::ostream&)>& write) {
    if (path.empty()) return true;
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::path(path).has_parent_path()) fs::create_directories(fs::path(path).parent_path(), ec);
    std::ofstream out(path);
    write(out);
    if (!out.flush()) {
        spdlog::error("cannot write report '{}'", path);
        return false;
    }
    return true;
}

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

} // namespace ipch
