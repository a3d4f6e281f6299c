#include "jitter.hpp"

namespace ipch {

std::uint64_t Jitter::next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::uint64_t Jitter::draw(std::uint64_t min, std::uint64_t max) {
    if (max <= min) return min;
    const std::uint64_t span = max - min;
    if (span == UINT64_MAX) return next();
    // Modulo reduction: its bias is span / 2^64, below 2^-17 for any sleep the loader accepts
    // (up to a day in nanoseconds), and it is the same on every platform.
    return min + next() % (span + 1);
}

bool Jitter::chance(double probability) {
    if (probability >= 1) return true;
    if (probability <= 0) return false;
    // The top 53 bits as a double in [0, 1): exact, and the same on every IEEE platform.
    return static_cast<double>(next() >> 11) * 0x1.0p-53 < probability;
}

} // namespace ipch
