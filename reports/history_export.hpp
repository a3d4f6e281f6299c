// The history as operations for other linearizability checkers, so that a team can cross-check
// the harness's verdicts: Porcupine's operations (what Go's encoding/json makes of
// []porcupine.Operation) and Knossos's invoke/ok/info events, as elle-cli reads them in JSON.
// The ops are the ones the black-box checks use (check/linearizability_history.hpp): the mapping
// as a register, or the lock as a mutex.
#pragma once

#include "check/linearizability.hpp"
#include "history.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace ipch {

enum class HistoryFormat { porcupine, knossos };

// "porcupine" or "knossos" (also "elle"); nullopt for anything else.
std::optional<HistoryFormat> history_format_named(std::string_view name);

// The format a file name asks for: knossos for NAME.knossos.json or NAME.elle.json, else
// porcupine.
HistoryFormat history_format_for_path(const std::string& path);

// "register" or "mutex"; nullopt for anything else.
std::optional<lin::Model> history_model_named(std::string_view name);

// One JSON array, one op (Porcupine) or event (Knossos) a line. Clients and processes are agent
// positions (agent id - 1); a register value is "WRITER:WRITER_SEQ", null for the empty mapping.
// An op a crash left in flight returns at 2^63 - 1 (Porcupine: "infinity") or completes as
// `info` after every other event (Knossos).
void write_history(std::ostream& out, const History& history, lin::Model model,
                   HistoryFormat format);

} // namespace ipch
