// A case with a hand-built timeline, for the trace and HTML report tests: two agents, one with a
// hostile name, a violation, a crash holding the lock.
#pragma once

#include "results.hpp"

#include <string>

namespace ipch::test {

// `name` names the scenario and its second agent. Spans: alice waits 1000..1500 and holds to
// 2000 (stamp 1); the second agent waits 1200..1800 and holds to 2500 (stamp 2, marked as a
// violation: it overlaps alice's), then takes stamp 3 at 3000 and crashes holding it.
ScenarioResult timeline_case(const std::string& name);

} // namespace ipch::test
