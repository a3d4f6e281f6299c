// The run's objects as the harness observes them after every agent ended, and the properties
// judged on them, through real agents: open-missing, capacity, permissions under several umasks
// and modes, and what persists per mapping kind.
#include "agent_runs.hpp"
#include "check.hpp"
#include "ipch/mapping_layout.hpp"
#include "ipch/scoped_umask.hpp"

#include <boost/interprocess/sync/named_semaphore.hpp>
#include <catch2/catch.hpp>
#include <filesystem>
#include <sys/stat.h>

using namespace ipch;
using namespace ipch::test;
namespace bip = boost::interprocess;

namespace {

PropertyResult result_of(const RunReport& report, const std::string& property) {
    for (PropertyResult& result : check_history(report.history))
        if (result.id == property) return result;
    FAIL("no property " << property);
    return {};
}

const ObjectObservation& observed(const RunReport& report, const std::string& role) {
    for (const ObjectObservation& object : report.history.objects)
        if (object.role == role) return object;
    FAIL("no observation of the " << role);
    return report.history.objects.front();
}

Scenario with_kinds(Scenario scenario, MappingKind mapping, MutexKind mutex) {
    scenario.mapping.kind = mapping;
    scenario.mutex.kind = mutex;
    return scenario;
}

// One mapping kind with a mutex kind that has an object of its own, so that each run observes
// two objects.
struct Kinds {
    MappingKind mapping;
    MutexKind mutex;
};
constexpr Kinds kinds_with_objects[] = {{MappingKind::shm, MutexKind::named_mutex},
                                        {MappingKind::file, MutexKind::file_lock},
                                        {MappingKind::xsi, MutexKind::named_semaphore}};

// Runs `scenario` as run_scenario does, with the process's umask set to `mask` while the agents
// run (the run directory and plan files are made before, under the usual one).
AgentRun run_under_umask(const Scenario& scenario, mode_t mask) {
    const std::string run_id = new_run_id();
    const auto run_dir = std::filesystem::temp_directory_path() / ("ipch-umask-test-" + run_id);
    AgentRun run;
    run.plan = make_plan(scenario, run_id, run_dir, 1);
    write_plan_files(run.plan);
    {
        const ScopedUmask umask(mask);
        run.report = run_agents(run.plan, RunOptions{std::string(IPCH_BIN_DIR) + "/ipc-agent"});
    }
    std::error_code ec;
    std::filesystem::remove_all(run_dir, ec);
    INFO("run errors: " << (run.report.errors.empty() ? "" : run.report.errors.front()));
    REQUIRE(run.report.errors.empty());
    return run;
}

} // namespace

TEST_CASE("an open_existing of a missing name: not found, nothing left, open-missing passes",
          "[objects][open-missing]") {
    const Kinds kinds =
        GENERATE(from_range(std::begin(kinds_with_objects), std::end(kinds_with_objects)));
    INFO("mapping " << to_string(kinds.mapping) << ", mutex " << to_string(kinds.mutex));
    const AgentRun run =
        run_scenario(with_kinds(scenario_of({agent("seeker", {open_op(OpenMode::open_existing)})}),
                                kinds.mapping, kinds.mutex));
    CHECK_FALSE(observed(run.report, "mapping").exists_after);
    CHECK_FALSE(observed(run.report, "mutex").exists_after);
    const PropertyResult result = result_of(run.report, "open-missing");
    INFO(result.detail);
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 1);
    CHECK(result_of(run.report, "persistence").detail == "mapping gone; mutex gone");
}

TEST_CASE("open-missing does not apply when every open may create", "[objects][open-missing]") {
    const AgentRun run = run_scenario(scenario_of({agent("writer", {write_op("hi")})}));
    CHECK(result_of(run.report, "open-missing").verdict == Verdict::not_applicable);
}

TEST_CASE("an oversized write is refused, the guard holds and the size is kept: capacity passes",
          "[objects][capacity]") {
    const Kinds kinds =
        GENERATE(from_range(std::begin(kinds_with_objects), std::end(kinds_with_objects)));
    INFO("mapping " << to_string(kinds.mapping));
    const Scenario scenario =
        with_kinds(scenario_of({agent("writer", {})}), kinds.mapping, kinds.mutex);
    const auto capacity =
        mapping_layout(scenario.mapping.size, lock_bytes_for(kinds.mutex))->capacity;
    Scenario sized = scenario;
    sized.agents[0].ops = {write_op("small"), write_sized(capacity + 1, "x"),
                           write_sized(capacity + 1000, "y"), read_expecting("small")};
    const AgentRun run = run_scenario(sized);
    const ObjectObservation& mapping = observed(run.report, "mapping");
    CHECK(mapping.exists_after);
    CHECK(mapping.size == scenario.mapping.size);
    CHECK(mapping.guard_intact == true);
    CHECK(mapping.holds_message == true);
    const PropertyResult result = result_of(run.report, "capacity");
    INFO(result.detail);
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 2);
}

TEST_CASE("capacity fails a mapping that is not the size the harness planned: negative control",
          "[objects][capacity][negative]") {
    // The agents are told 512 bytes while the harness planned 256: a library that resizes the
    // object it was given behaves so.
    Scenario scenario = scenario_of({agent("writer", {write_sized(1000, "z"), write_op("fits")})});
    const AgentRun run = run_scenario(scenario, 1, [](Plan& plan) {
        for (AgentPlan& agent : plan.agents)
            agent.mapping_size = 512;
    });
    CHECK(observed(run.report, "mapping").size == 512u);
    const PropertyResult result = result_of(run.report, "capacity");
    CHECK(result.verdict == Verdict::fail);
    REQUIRE(result.evidence.size() == 1);
    CHECK_THAT(result.evidence[0].summary,
               Catch::Contains("is 512 bytes after the run; it was planned 256"));
}

// Every mode and umask the agents must cope with: 0277 takes the owner's write bit, 0 adds
// nothing; a widened plan mode (0660, 0644) must come out as asked too, not as the umask says.
TEST_CASE("objects created under umask 0, 077 and 0277 come out in the plan's mode: permissions "
          "passes",
          "[objects][permissions]") {
    const Kinds kinds =
        GENERATE(from_range(std::begin(kinds_with_objects), std::end(kinds_with_objects)));
    const mode_t mask = GENERATE(mode_t{0}, mode_t{077}, mode_t{0277});
    const std::uint32_t mode = GENERATE(0600u, 0660u, 0644u);
    INFO("mapping " << to_string(kinds.mapping) << ", mutex " << to_string(kinds.mutex)
                    << ", umask 0" << std::oct << mask << ", mode 0" << mode);
    Scenario scenario =
        with_kinds(scenario_of({agent("writer", {write_op("hi")})}), kinds.mapping, kinds.mutex);
    scenario.permissions = mode;
    const AgentRun run = run_under_umask(scenario, mask);
    REQUIRE(run.report.history.objects.size() == 2);
    for (const ObjectObservation& object : run.report.history.objects) {
        INFO(object.role << " " << object.where);
        CHECK(object.created_by_run);
        CHECK(object.mode == mode);
        CHECK(object.requested_mode == mode);
    }
    const PropertyResult result = result_of(run.report, "permissions");
    INFO(result.detail);
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 2);
}

TEST_CASE("a create_or_open crowd under umask 0277: every agent opens what another created",
          "[objects][permissions]") {
    // The umask is cleared while an object is created, so no agent ever meets it at the umask's
    // 0400 (which refuses a read-write open) before its creator sets the mode.
    const Kinds kinds =
        GENERATE(from_range(std::begin(kinds_with_objects), std::end(kinds_with_objects)));
    INFO("mapping " << to_string(kinds.mapping) << ", mutex " << to_string(kinds.mutex));
    const AgentRun run = run_under_umask(
        with_kinds(scenario_of({agent("crowd", {write_op("hi")}, 6)}), kinds.mapping, kinds.mutex),
        0277);
    REQUIRE(run.report.history.agents.size() == 6);
    for (const AgentHistory& history : run.report.history.agents)
        for (const EventRecord& event : history.events) {
            INFO(history.name << " op " << event.op_id);
            CHECK(event.error == 0);
        }
    CHECK(result_of(run.report, "permissions").verdict == Verdict::pass);
}

TEST_CASE("Boost alone: a named semaphore created under umask 0277 is 0400, what the agent "
          "corrects",
          "[objects][permissions][negative]") {
    // The control for the tests above: the umask is hostile, and Boost does not undo it for a
    // semaphore (sem_open gives it no descriptor to fchmod).
    const std::string name = "ipch-" + new_run_id() + "-umask";
    {
        const ScopedUmask umask(0277);
        const bip::named_semaphore semaphore(bip::create_only, name.c_str(), 1,
                                             bip::permissions(0600));
    }
    struct stat info {};
    const int stat_result = ::stat(("/dev/shm/sem." + name).c_str(), &info);
    bip::named_semaphore::remove(name.c_str());
    REQUIRE(stat_result == 0);
    CHECK((info.st_mode & 07777) == 0400u);
}

TEST_CASE("persistence per mapping kind: every kind keeps its mapping with its data, and a "
          "remove op takes it",
          "[objects][persistence]") {
    const Kinds kinds =
        GENERATE(from_range(std::begin(kinds_with_objects), std::end(kinds_with_objects)));
    INFO("mapping " << to_string(kinds.mapping) << ", mutex " << to_string(kinds.mutex));
    const AgentRun kept = run_scenario(with_kinds(
        scenario_of({agent("writer", {write_op("last words")})}), kinds.mapping, kinds.mutex));
    const PropertyResult result = result_of(kept.report, "persistence");
    CHECK(result.verdict == Verdict::observed);
    CHECK(result.detail == "mapping kept with its data; mutex kept");
    CHECK(observed(kept.report, "mapping").detail == "holds message #1 of agent 1 (10 bytes)");

    const AgentRun removed = run_scenario(
        with_kinds(scenario_of({agent("writer", {write_op("gone"), op(OpKind::remove)})}),
                   kinds.mapping, kinds.mutex));
    CHECK(result_of(removed.report, "persistence").detail == "mapping gone; mutex gone");
}

TEST_CASE("an in-mapping mutex kind has no object of its own to observe", "[objects]") {
    const AgentRun run =
        run_scenario(scenario_of({agent("writer", {write_op("hi")})}, MutexKind::spin));
    REQUIRE(run.report.history.objects.size() == 1);
    CHECK(run.report.history.objects[0].role == "mapping");
    CHECK(result_of(run.report, "persistence").detail == "mapping kept with its data");
}
