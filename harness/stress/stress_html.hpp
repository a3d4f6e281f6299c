// stress.html: a sweep on the HTML report's page (reports/html_page.hpp): the lock wait
// distribution per backend and agent count, throughput vs agents, fairness per agent, and a
// table of the cases.
#pragma once

#include "stress/stress.hpp"

#include <ostream>
#include <string>

namespace ipch::stress {

// stress.html: the sweep's charts, fairness and a table of its cases (reports/html_page.hpp).
void write_stress_html(std::ostream& out, const Sweep& sweep);

} // namespace ipch::stress
