// stress.html: a sweep on the HTML report's page (reports/html_page.hpp): the lock wait
// distribution per backend and agent count, throughput vs agents, fairness per agent, and a
// table of the cases.
#pragma once

#include "stress/stress.hpp"

#include <ostream>
#include <string>

namespace ipch::stress {

void write_stress_html(std::ostream& out, const Sweep& sweep);

// Writes it to `path`, creating its folder; false (with a message on stderr) when it cannot.
bool write_stress_html_file(const std::string& path, const Sweep& sweep);

} // namespace ipch::stress
