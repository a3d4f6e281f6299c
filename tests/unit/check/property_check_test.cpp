// How a property takes part in the checker's one pass (check/detail.hpp): one that judges the
// whole history with passes of its own joins through whole_history.
#include "check/detail.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::check;

namespace {

PropertyResult count_agents(const History& history, const CheckOptions& options) {
    PropertyResult result;
    result.id = "agents";
    result.checked = history.agents.size();
    result.detail = "max evidence " + std::to_string(options.max_evidence);
    return result;
}

} // namespace

TEST_CASE("a whole-history check ignores the pass and judges at finish", "[check]") {
    History history;
    history.agents.push_back(make_agent_history(1, "a", {EventRecord{}, EventRecord{}}));
    history.agents.push_back(make_agent_history(2, "b", {}));
    CheckOptions options;
    options.max_evidence = 3;
    const auto check = whole_history<count_agents>(history, options);
    CHECK_FALSE(check->wants_lock_order());
    check->scan(0, 0, history.agents[0].events);
    check->scan(1, 0, history.agents[1].events);
    const PropertyResult result = check->finish();
    CHECK(result.id == "agents");
    CHECK(result.checked == 2);
    CHECK(result.detail == "max evidence 3");
}
