#include "run/proc_stat.hpp"

#include <fstream>
#include <iterator>
#include <sstream>

namespace ipch {

std::optional<std::vector<std::string>> proc_stat_fields(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t close = stat.rfind(')'); // the command's last ')': it may hold some
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(stat.substr(close + 1));
    std::vector<std::string> fields;
    for (std::string field; rest >> field;)
        fields.push_back(field);
    return fields;
}

} // namespace ipch
