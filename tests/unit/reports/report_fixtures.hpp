// Hand-built RunResults for the report tests, the golden-file comparison, and checks that a
// report's bytes are inert (valid UTF-8, no control characters where they could do harm).
#pragma once

#include "results.hpp"

#include <string>
#include <string_view>

namespace ipch::test {

// Four scenarios, one per case a report must handle: passed, failed (mutual-exclusion evidence
// and a crashed agent), a negative control caught, and a file that did not load.
RunResults sample_results();

// A string with everything that could break a report: markup, a CDATA end, quotes, C0 and C1
// controls, an ANSI escape, a bidirectional override, a non-character and invalid UTF-8.
extern const std::string hostile;

// sample_results() with `hostile` in every name, label, path, message, detail and summary.
RunResults hostile_results();

// The report text with what changes from run to run blanked: run ids, start times, durations.
std::string blank_volatile(std::string text, const RunResults& results);

// Compares `actual` (blanked) with tests/data/golden/<name>. With IPCH_UPDATE_GOLDEN=1 in the
// environment, rewrites the file instead (review the diff before committing it).
void check_golden(const std::string& name, const std::string& actual, const RunResults& results);

// True when `text` is well-formed UTF-8. Written independently of text.cpp on purpose.
bool is_valid_utf8(std::string_view text);

// The code points of valid UTF-8 `text`.
std::u32string code_points(std::string_view text);

} // namespace ipch::test
