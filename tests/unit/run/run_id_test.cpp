// Seeds and run ids: a case's seed depends on the run's seed and the case's name alone, and a
// seeded run id on the case's seed, so that one --seed repeats a run exactly.
#include "plan.hpp"

#include <catch2/catch.hpp>
#include <set>
#include <string>

using namespace ipch;

TEST_CASE("a case's seed mixes the run's seed and the case's name, and nothing else", "[seed]") {
    const std::uint64_t seed = case_seed(42, "contention[agents=4]");
    CHECK(case_seed(42, "contention[agents=4]") == seed);
    CHECK(case_seed(43, "contention[agents=4]") != seed);
    CHECK(case_seed(42, "contention[agents=8]") != seed);
    // The same on every build: FNV-1a and SplitMix64, no std::hash. A change here changes every
    // seeded run's plans; it must be deliberate.
    CHECK(case_seed(0, "") == 0x8932c885a3fe960eull);
    CHECK(seed == 0x8e31f6955603b8f9ull); // computed apart from this code, in Python
}

TEST_CASE("seeded run ids: 's' and 12 hex digits, the same for the same case seed", "[seed]") {
    const std::string id = seeded_run_id(case_seed(42, "x"), 0);
    CHECK(id.size() == 13); // as long as new_run_id's
    CHECK(id.front() == 's');
    CHECK(id.find_first_not_of("0123456789abcdef", 1) == std::string::npos);
    CHECK(seeded_run_id(case_seed(42, "x"), 0) == id);
    // Two cases of one invocation with the same name get different ids.
    CHECK(seeded_run_id(case_seed(42, "x"), 1) != id);
    std::set<std::string> ids;
    for (std::uint64_t seed = 0; seed < 1000; ++seed)
        ids.insert(seeded_run_id(case_seed(seed, "x"), 0));
    CHECK(ids.size() == 1000);
}

TEST_CASE("random run seeds differ from one invocation to the next", "[seed]") {
    std::set<std::uint64_t> seeds;
    for (int i = 0; i < 100; ++i)
        seeds.insert(random_run_seed());
    CHECK(seeds.size() == 100);
}
