#include "timeline_fixture.hpp"

namespace ipch::test {

ScenarioResult timeline_case(const std::string& name) {
    ScenarioResult result;
    result.path = "scenarios/" + name + ".yaml";
    result.name = name;
    result.outcome = ScenarioOutcome::failed;
    result.agents = {AgentSummary{1, "alice", AgentEnd::finished, 0, 0, 2, ""},
                     AgentSummary{2, name, AgentEnd::crashed, 0, 9, 3, ""}};
    PropertyOutcome mutual_exclusion;
    mutual_exclusion.result.id = "mutual-exclusion";
    mutual_exclusion.result.verdict = Verdict::fail;
    mutual_exclusion.result.violations = 1;
    mutual_exclusion.result.evidence.push_back(Evidence{"two holders: " + name, {}});
    mutual_exclusion.requirement = Requirement::hold;
    mutual_exclusion.met = false;
    result.properties.push_back(mutual_exclusion);

    Timeline timeline;
    timeline.backend = "named_mutex";
    timeline.begin = 1000;
    timeline.end = 4000;
    timeline.lanes = {TimelineLane{1, "alice", AgentEnd::finished, 1, 500, 500, 500},
                      TimelineLane{2, name, AgentEnd::crashed, 2, 600, 600, 600}};
    timeline.spans = {TimelineSpan{0, 1000, 1500, 2000, 1, 7, false, false},
                      TimelineSpan{1, 1200, 1800, 2500, 2, 7, true, false},
                      TimelineSpan{1, 3000, 3000, 4000, 3, 8, false, true}};
    timeline.marks = {
        TimelineMark{TimelineMark::Kind::violation, 1, 1800, 2, "mutual-exclusion: " + name},
        TimelineMark{TimelineMark::Kind::crash, 1, 3000, 0, "crashed (signal 9)"}};
    timeline.sections = 2;
    timeline.wait.record(500);
    timeline.wait.record(600);
    timeline.hold.record(500);
    timeline.hold.record(700);
    timeline.throughput = 1e6;
    timeline.jain = 0.9;
    result.timeline = timeline;
    return result;
}

} // namespace ipch::test
