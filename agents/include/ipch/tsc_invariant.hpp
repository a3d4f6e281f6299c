// Whether the TSC ticks at one rate whatever a core does (constant_tsc and nonstop_tsc among
// /proc/cpuinfo's flags): the agents read it as their clock only then (agents/src/clock.hpp),
// and a stress sweep's environment records it.
#pragma once

#include <string_view>

namespace ipch {

// Of /proc/cpuinfo's text: the first processor's flags (every processor of a host lists the
// same ones).
bool tsc_is_invariant(std::string_view cpuinfo);

// Of this machine's /proc/cpuinfo; false off x86-64, where there is no TSC to read.
bool tsc_is_invariant_here();

} // namespace ipch
