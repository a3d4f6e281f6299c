// The JSON report: the whole of RunResults for tools (dashboards, the HTML report, scripts).
#pragma once

#include "results.hpp"

#include <iosfwd>

namespace ipch {

// Bump when a field changes meaning or disappears; adding a field does not need a bump.
inline constexpr int json_report_schema_version = 1;

// One JSON document, valid UTF-8 whatever the input (text.hpp). 64-bit checksums are hex strings
// ("0x..."): JavaScript reads JSON numbers as doubles, which keep only 53 bits.
void write_json_report(std::ostream& out, const RunResults& results);

} // namespace ipch
