// check_history for some of the properties only: those whose ids are given (and that the
// checker implements), in catalog order, through the same one pass and replay. For a benchmark
// that times the properties judging lock order on their own.
#pragma once

#include "check.hpp"

#include <span>
#include <string_view>
#include <vector>

namespace ipch::check {

// The properties that judge the history's lock order (the replay: check/lock_order.hpp).
inline constexpr std::string_view lock_order_property_ids[] = {"mutual-exclusion", "no-lost-update",
                                                               "read-latest"};

std::vector<PropertyResult> check_properties(const History& history,
                                             std::span<const std::string_view> ids,
                                             const CheckOptions& options = {});

} // namespace ipch::check
