// Deadlines for Boost's timed waits, which take an absolute UTC time (CLOCK_REALTIME) where the
// agent keeps CLOCK_MONOTONIC ones.
#pragma once

#include "clock.hpp"

#include <boost/date_time/posix_time/posix_time_types.hpp>
#include <cstdint>

namespace ipch {

// What is left of the monotonic `deadline_ns`, from now on the UTC clock: rounded up to the
// microsecond, so that a wait never gives up early.
inline boost::posix_time::ptime utc_deadline(std::uint64_t deadline_ns) {
    const std::uint64_t now = now_ns();
    const std::uint64_t left_us = deadline_ns > now ? (deadline_ns - now + 999) / 1000 : 0;
    return boost::posix_time::microsec_clock::universal_time() +
           boost::posix_time::microseconds(static_cast<long>(left_us));
}

} // namespace ipch
