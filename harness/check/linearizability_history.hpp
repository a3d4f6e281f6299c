// A history as operations of the two black-box models (check/linearizability.hpp): the mapping
// as a register, the lock as a mutex. Used by mutual-exclusion and read-latest when a history has
// critical sections without lock-order stamps, and by --export-history.
#pragma once

#include "check.hpp"
#include "check/linearizability.hpp"
#include "history.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace ipch::lin {

// Where an op came from: the agent's position in History::agents, and the event's position in
// its list; none for an op no event records (a write a dead agent had in flight).
struct Source {
    std::size_t agent = 0;
    std::optional<std::size_t> event;
};

struct HistoryOps {
    std::vector<Operation> ops; // client: the agent's position in History::agents
    std::vector<Source> sources;
    std::size_t indeterminate = 0; // ops a crash left in flight (Jepsen's info): may or may not
                                   // have taken effect
};

// The mapping as a register. A committed write, and a read that observed a whole message (torn
// ones are no-torn-read's), each from its event's t_acquired (t_requested without one) to its
// t_released: the agent takes both inside the lock, around the work. Indeterminate writes
// (`ret` never): a write a crash interrupted (an unreleased event that wrote), and, for an agent
// that died with an op in flight, a write of the lowest message of its that a read saw and none
// of its committed writes produced, called after its last event. Intervals widen by
// `tolerance_ns` each side.
HistoryOps register_ops(const History& history, std::uint64_t tolerance_ns = 0);

// The lock as a mutex: each critical section (as mutual-exclusion counts them) is an acquire,
// from t_requested to t_acquired, and a release from t_released until the agent's next event
// begins (never, after its last). A section a crash left unreleased has an indeterminate release
// from its acquire on: the lock was freed when its holder died, at a time nobody recorded.
HistoryOps mutex_ops(const History& history, std::uint64_t tolerance_ns = 0);

} // namespace ipch::lin

namespace ipch::check {

// Whether a critical section (or an op inside one) carries no lock-order stamp: stamps count
// from 1, and an external agent may leave the field out.
bool has_unstamped_sections(const History& history);

// mutual-exclusion and read-latest for such histories: the mutex and register models decide,
// within CheckOptions::linearizability_budget_ns.
PropertyResult black_box_mutual_exclusion(const History& history, const CheckOptions& options);
PropertyResult black_box_read_latest(const History& history, const CheckOptions& options);

} // namespace ipch::check
