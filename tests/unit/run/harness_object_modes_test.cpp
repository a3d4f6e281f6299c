// The harness's own objects under a hostile umask: the control object, a fixed name's lock file
// and its folder, and the run directory are owner-only whatever the umask (0277 takes the
// owner's write bit, 0 gives every user write access), stat()ed while they exist.
#include "agent_runs.hpp"
#include "ipch/scoped_umask.hpp"
#include "run/name_lock.hpp"
#include "run/named_objects.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <sys/stat.h>

using namespace ipch;
using namespace ipch::test;

namespace {

std::uint32_t mode_of(const std::filesystem::path& path) {
    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    return info.st_mode & 07777;
}

} // namespace

TEST_CASE("the control object is 0600 under umask 0 and 0277", "[objects][permissions]") {
    const mode_t mask = GENERATE(mode_t{0}, mode_t{0277});
    INFO("umask 0" << std::oct << mask);
    const std::string name = "ipch-" + new_run_id() + "-ctl";
    std::uint32_t mode = 0;
    {
        const ScopedUmask umask(mask);
        const ControlObject control(name, 2, 0);
        mode = mode_of("/dev/shm/" + name);
    }
    boost::interprocess::shared_memory_object::remove(name.c_str());
    CHECK(mode == 0600u);
}

TEST_CASE("a fixed name's lock file is 0600 and its folder 0700 under umask 0 and 0277",
          "[objects][permissions]") {
    const mode_t mask = GENERATE(mode_t{0}, mode_t{0277});
    INFO("umask 0" << std::oct << mask);
    const std::string name = "ipch-" + new_run_id() + "-lock";
    const std::filesystem::path folder = name_lock_directory();
    // The folder is made once per user and kept: this test makes it afresh only when no other
    // run of ours is using it (otherwise it checks the folder as an earlier run left it).
    NameLock lock;
    {
        const ScopedUmask umask(mask);
        std::string why;
        REQUIRE(lock.try_take(name, why));
    }
    CHECK(mode_of(name_lock_path(name)) == 0600u);
    CHECK(mode_of(folder) == 0700u);
    lock.remove_and_release(name);
}

TEST_CASE("the run directory is the owner's under umask 0 and 0277, with a search bit only for "
          "the classes a widened mode lets in",
          "[objects][permissions]") {
    const mode_t mask = GENERATE(mode_t{0}, mode_t{0277});
    const auto [objects, folder] =
        GENERATE(std::pair{0600u, 0700u}, std::pair{0660u, 0710u}, std::pair{0644u, 0711u});
    INFO("umask 0" << std::oct << mask << ", objects 0" << objects);
    Scenario scenario = scenario_of({agent("writer", {write_op("hi")})});
    scenario.permissions = objects;
    const std::string run_id = new_run_id();
    Plan plan = make_plan(scenario, run_id,
                          std::filesystem::temp_directory_path() / ("ipch-mode-test-" + run_id), 1);
    {
        const ScopedUmask umask(mask);
        write_plan_files(plan);
    }
    const std::uint32_t mode = mode_of(plan.run_dir);
    std::error_code ec;
    std::filesystem::remove_all(plan.run_dir, ec);
    CHECK(mode == folder);
}
