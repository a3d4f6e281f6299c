// Text the reports share: the one place where strings from scenarios, agents and the checker are
// made safe for their destination, and the plain-text forms that more than one report prints.
//
// Escaping policy (one rule for every format): whatever cannot be shown safely is replaced, byte
// by byte, by the four ASCII characters `\xNN` (NN the byte in upper-case hex). This covers bytes
// that are not well-formed UTF-8 and, depending on the destination, characters that are valid
// UTF-8 but unsafe there. We chose `\xNN` over U+FFFD because it keeps the original byte
// readable (a stray ESC or a truncated multi-byte name stays diagnosable), it is plain ASCII so
// it survives every later hop, and it looks the same in the console, the XML and the JSON. The
// price: a name that literally contains `\x1B` reads the same as one containing ESC; the reports
// are for people, and the raw bytes remain in the run directory's logs.
#pragma once

#include "results.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ipch {

// Where a piece of text is headed; each destination tolerates a different set of characters.
enum class TextSink {
    json,    // any valid UTF-8: the JSON writer escapes control characters itself (\u0001)
    xml,     // XML 1.0 `Char`: no C0 controls but \t \n \r, no U+FFFE/U+FFFF, even as &#N;
    console, // nothing that can drive a terminal: no C0, DEL, C1, or bidirectional overrides
};

// `raw` made valid UTF-8 and safe for `sink`, per the policy above. Never throws.
std::string sanitize(std::string_view raw, TextSink sink);

inline std::string json_text(std::string_view raw) {
    return sanitize(raw, TextSink::json);
}
inline std::string xml_text(std::string_view raw) {
    return sanitize(raw, TextSink::xml);
}
inline std::string console_text(std::string_view raw) {
    return sanitize(raw, TextSink::console);
}

// Seconds with exactly three decimals ("1.250"), whatever the locale.
std::string format_seconds(double seconds);

// "1 agent", "3 agents": a count and its word, with an s unless the count is 1.
std::string plural(std::uint64_t count, std::string_view word);

// A time for people, three significant digits: "850ns", "3.21us", "1.50ms", "2.00s"; "-" for none.
std::string format_ns(std::optional<std::uint64_t> ns);
// A rate for people: "950", "51.2k", "6.17M"; "-" for none.
std::string format_rate(std::optional<double> per_second);

// A ratio such as Jain's index with three decimals ("0.953"), whatever the locale; "-" for none.
std::string format_ratio(std::optional<double> ratio);

// A 64-bit value as "0x" and 16 hex digits: checksums, which JSON numbers would round.
std::string format_hex64(std::uint64_t value);

// A stable identifier for people: "control-caught" -> "control caught", "must-hold" -> "must hold".
std::string as_words(std::string_view id);

// The names of the event_flag bits set in `flags`, in bit order; unknown bits as "bit-N".
std::vector<std::string> event_flag_names(std::uint32_t flags);

// One evidence event as one line of plain text (not yet sanitised): agent, op, stamp, times,
// outcome.
std::string describe_event(const EvidenceEvent& event);

// The note under a property's evidence for the violations it counted but kept no evidence of
// (CheckOptions::max_evidence), or "" when there is nothing to add.
std::string unshown_violations(const PropertyResult& property);

// How many scenarios ended with each outcome, in the outcome table's order, zeros included.
struct OutcomeCount {
    const OutcomeInfo* info;
    std::size_t count;
};
std::vector<OutcomeCount> count_outcomes(const RunResults& results);

} // namespace ipch
