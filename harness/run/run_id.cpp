// Run ids and seeds: random ones for an ordinary run, derived ones for a run with --seed.
#include "plan.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <unistd.h>

namespace ipch {

namespace {

// SplitMix64's finaliser: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// FNV-1a: a hash of the case's name that is the same on every build and platform (std::hash
// promises neither).
std::uint64_t name_hash(std::string_view name) {
    std::uint64_t hash = 0xcbf29ce484222325ull;
    for (const char c : name) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ull;
    }
    return hash;
}

} // namespace

std::string new_run_id() {
    // Unique per run on a host: the pid (7 hex digits: Linux pids stay below 2^22) separates
    // concurrent controllers and tells which controller a leftover object came from; the random
    // part separates runs of one controller and pid reuse.
    std::random_device device;
    std::mt19937_64 random(
        device() ^
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
    char id[32];
    std::snprintf(id, sizeof id, "%07x%06x", static_cast<unsigned>(::getpid()),
                  static_cast<unsigned>(random() & 0xffffff));
    return id;
}

std::uint64_t random_run_seed() {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

std::uint64_t case_seed(std::uint64_t run_seed, std::string_view case_name) {
    return mix(run_seed ^ mix(name_hash(case_name)));
}

std::string seeded_run_id(std::uint64_t case_seed, std::uint32_t occurrence) {
    // 's' keeps these apart from new_run_id's, which are hex digits only; 48 bits of the mix
    // make a clash of two different cases unlikely, and the name lock refuses one that happens.
    const std::uint64_t bits = mix(case_seed + (occurrence + 1) * 0x9e3779b97f4a7c15ull);
    char id[32];
    std::snprintf(id, sizeof id, "s%012llx",
                  static_cast<unsigned long long>(bits & 0xffffffffffffull));
    return id;
}

} // namespace ipch
