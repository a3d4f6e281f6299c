// Writing report files, shared by the commands that write them (run, check, conformance, stress).
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace ipch {

// Writes one report file, creating its folder; logs an error and returns false when the file
// cannot be written. An empty path writes nothing and succeeds.
bool write_report(const std::string& path, const std::function<void(std::ostream&)>& write);

// The time now, UTC, ISO 8601 ("2026-11-26T19:30:00Z").
std::string utc_now();

} // namespace ipch
