// The JUnit XML report, in the Ant/Surefire dialect that CI servers read.
#pragma once

#include "results.hpp"

#include <iosfwd>

namespace ipch {

// <testsuites> with a <testsuite> per scenario and a <testcase> per property outcome; a scenario
// that could not be loaded or run gets one <testcase> ("load" or "run") holding an <error>.
// A must-fail property that failed (a control caught) is a passing test case. Every string is
// made valid XML 1.0 (text.hpp), so a hostile name cannot break the document.
void write_junit_report(std::ostream& out, const RunResults& results);

} // namespace ipch
