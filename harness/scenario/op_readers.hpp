// The readers of single ops, shared by read_ops.cpp (which dispatches on the op's name) and the
// files that read each family of ops. Each one reports what is wrong and still returns an op of
// its kind, so that the section checks see every lock and unlock the file states.
#pragma once

#include "scenario/readers.hpp"
#include "scenario/yaml_reader.hpp"

namespace ipch::scenario_detail {

// An op of `kind` at the op's position, with every field at its default.
OpSpec leaf_op(const Field& op, OpKind kind);

// Ops that carry a message: write, read, wait_for (read_message_ops.cpp).
OpSpec read_write(const Field& op, const Field& value, Diagnostics& diag);
OpSpec read_read(const Field& op, const Field& value, Diagnostics& diag);
OpSpec read_wait_for(const Field& op, const Field& value, Diagnostics& diag);

// Ops that shape when things happen: open, timed_lock, hold, sleep, barrier, crash
// (read_control_ops.cpp). A bare or empty `open` takes the group's open mode.
OpSpec read_open(const Field& op, const Field& value, OpenMode group_mode, Diagnostics& diag);
OpSpec read_timed_lock(const Field& op, const Field& value, Diagnostics& diag);
OpSpec read_hold(const Field& op, const Field& value, Diagnostics& diag);
OpSpec read_sleep(const Field& op, const Field& value, Diagnostics& diag);
OpSpec read_barrier(const Field& op, const Field& value, Diagnostics& diag);
OpSpec read_crash(const Field& op, const Field& value, Diagnostics& diag);

// The critical sections of an agent's op tree: each lock, try_lock or timed_lock closed by an
// unlock later in its own list, none nested, and nothing inside that must not run under the
// lock (check_sections.cpp).
void check_sections(const std::vector<OpSpec>& ops, Diagnostics& diag);

// Text templates (text_template.cpp): every {word} of lowercase letters in `field` is one the
// agent expands ({agent}, {group}, {id}, {seq}, {run}); other braces are text.
void check_template(const Field& field, Diagnostics& diag);

} // namespace ipch::scenario_detail
