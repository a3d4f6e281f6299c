// /proc/PID/stat, read the one way: its fields after the parenthesised command (which may hold
// spaces and parentheses itself), so field 3 (the state letter) comes first.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace ipch {

// Fields 3 onwards of /proc/PID/stat; nullopt when there is no such process (or no ')').
std::optional<std::vector<std::string>> proc_stat_fields(int pid);

} // namespace ipch
