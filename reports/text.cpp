#include "text.hpp"

#include "error_names.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <system_error>

namespace ipch {

namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` and the code point it
// encodes, or 0 when the first byte does not begin one. Follows Unicode's Table 3-7 exactly, so
// overlong forms, surrogates and values above U+10FFFF are all rejected.
struct Decoded {
    std::size_t length;
    char32_t code_point;
};

bool in_range(unsigned char byte, unsigned char low, unsigned char high) {
    return byte >= low && byte <= high;
}

Decoded decode_utf8(std::string_view text) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) return {1, lead};

    std::size_t length = 0;
    unsigned char second_low = 0x80;
    unsigned char second_high = 0xBF;
    if (in_range(lead, 0xC2, 0xDF)) {
        length = 2;
    } else if (in_range(lead, 0xE0, 0xEF)) {
        length = 3;
        if (lead == 0xE0) second_low = 0xA0;  // shorter forms are overlong
        if (lead == 0xED) second_high = 0x9F; // U+D800..U+DFFF are surrogates
    } else if (in_range(lead, 0xF0, 0xF4)) {
        length = 4;
        if (lead == 0xF0) second_low = 0x90;  // shorter forms are overlong
        if (lead == 0xF4) second_high = 0x8F; // above U+10FFFF
    } else {
        return {0, 0};
    }
    if (text.size() < length || !in_range(byte(1), second_low, second_high)) return {0, 0};

    char32_t code_point = lead & (0x7F >> length);
    for (std::size_t i = 1; i < length; ++i) {
        if (!in_range(byte(i), 0x80, 0xBF)) return {0, 0};
        code_point = (code_point << 6) | (byte(i) & 0x3F);
    }
    return {length, code_point};
}

bool is_xml_char(char32_t c) {
    // XML 1.0 (Fifth Edition) production [2] Char; surrogates never decode, see decode_utf8.
    if (c < 0x20) return c == '\t' || c == '\n' || c == '\r';
    return c != 0xFFFE && c != 0xFFFF;
}

bool is_console_safe(char32_t c) {
    if (c < 0x20 || c == 0x7F) return false;  // C0 and DEL: ESC starts terminal commands
    if (c >= 0x80 && c <= 0x9F) return false; // C1: U+009B is a one-character CSI on some terminals
    // Bidirectional embeddings, overrides and isolates reorder what follows them on screen
    // ("Trojan Source"), so a name could disguise the rest of its line.
    if (c >= 0x202A && c <= 0x202E) return false;
    return c < 0x2066 || c > 0x2069;
}

bool is_safe(char32_t c, TextSink sink) {
    switch (sink) {
    case TextSink::json:
        return true;
    case TextSink::xml:
        return is_xml_char(c);
    case TextSink::console:
        return is_console_safe(c);
    }
    return false;
}

void append_byte_escape(std::string& out, unsigned char byte) {
    constexpr std::string_view digits = "0123456789ABCDEF";
    out += "\\x";
    out += digits[byte >> 4];
    out += digits[byte & 0x0F];
}

} // namespace

std::string sanitize(std::string_view raw, TextSink sink) {
    std::string out;
    out.reserve(raw.size());
    while (!raw.empty()) {
        const Decoded decoded = decode_utf8(raw);
        if (decoded.length == 0) {
            // Not UTF-8: show this one byte and resynchronise on the next.
            append_byte_escape(out, static_cast<unsigned char>(raw.front()));
            raw.remove_prefix(1);
            continue;
        }
        const std::string_view character = raw.substr(0, decoded.length);
        if (is_safe(decoded.code_point, sink)) {
            out += character;
        } else {
            for (const char byte : character)
                append_byte_escape(out, static_cast<unsigned char>(byte));
        }
        raw.remove_prefix(decoded.length);
    }
    return out;
}

namespace {

// Three significant digits of `value` in `unit`.
std::string three_digits(double value, const char* unit) {
    char text[32];
    const char* format = value >= 100 ? "%.0f%s" : value >= 10 ? "%.1f%s" : "%.2f%s";
    std::snprintf(text, sizeof text, format, value, unit);
    return text;
}

} // namespace

std::string plural(std::uint64_t count, std::string_view word) {
    return std::to_string(count) + " " + std::string(word) + (count == 1 ? "" : "s");
}

std::string format_ns(std::optional<std::uint64_t> ns) {
    if (!ns) return "-";
    const double value = static_cast<double>(*ns);
    if (*ns < 1000) return std::to_string(*ns) + "ns";
    if (value < 999.5e3) return three_digits(value / 1e3, "us");
    if (value < 999.5e6) return three_digits(value / 1e6, "ms");
    return three_digits(value / 1e9, "s");
}

std::string format_rate(std::optional<double> per_second) {
    if (!per_second) return "-";
    if (*per_second < 999.5) return three_digits(*per_second, "");
    if (*per_second < 999.5e3) return three_digits(*per_second / 1e3, "k");
    return three_digits(*per_second / 1e6, "M");
}

std::string format_ratio(std::optional<double> ratio) {
    if (!ratio) return "-";
    return format_seconds(*ratio); // three decimals, no locale: the same text
}

std::string format_seconds(double seconds) {
    // to_chars ignores the locale: a report never says "1,250".
    if (!std::isfinite(seconds)) seconds = 0;
    std::array<char, 64> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), seconds,
                                      std::chars_format::fixed, 3);
    if (result.ec != std::errc{}) return "0.000"; // only for absurd magnitudes
    return std::string(buffer.data(), result.ptr);
}

std::string format_hex64(std::uint64_t value) {
    std::array<char, 16> buffer{};
    const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, 16);
    const std::string digits(buffer.data(), result.ptr);
    return "0x" + std::string(16 - digits.size(), '0') + digits;
}

std::string as_words(std::string_view id) {
    std::string words(id);
    for (char& c : words)
        if (c == '-' || c == '_') c = ' ';
    return words;
}

std::vector<std::string> event_flag_names(std::uint32_t flags) {
    // In bit order (event_log.hpp, namespace event_flag).
    std::vector<std::string> names;
    for (std::uint32_t bit = 0; bit < 32; ++bit) {
        if ((flags & (1u << bit)) == 0) continue;
        const auto known = std::find_if(event_flag_table.begin(), event_flag_table.end(),
                                        [&](const EventFlagName& f) { return f.bit == 1u << bit; });
        names.push_back(known != event_flag_table.end() ? std::string(known->name)
                                                        : "bit-" + std::to_string(bit));
    }
    return names;
}

std::string describe_event(const EvidenceEvent& event) {
    const EventRecord& record = event.event;
    std::ostringstream line;
    line << "agent " << event.agent_id << " " << event.agent << ", event " << event.index << ", op "
         << event.op_label << " (" << to_string(record.kind) << " #" << record.seq;
    if (record.attempt != 0) line << " attempt " << record.attempt;
    line << "): stamp " << record.stamp << ", requested " << record.t_requested << ", acquired "
         << record.t_acquired << ", released " << record.t_released << " ns, "
         << to_string(record.outcome);
    if (record.error != 0) line << " (" << error_text(record.error) << ")";
    if (record.msg_writer != 0)
        line << ", message " << record.msg_writer << "/" << record.msg_writer_seq << " length "
             << record.msg_length;
    const std::vector<std::string> flags = event_flag_names(record.flags);
    if (!flags.empty()) {
        line << ", flags";
        for (const std::string& flag : flags)
            line << " " << flag;
    }
    return line.str();
}

std::string unshown_violations(const PropertyResult& property) {
    // With no evidence at all, the detail is all there is; "more" would refer to nothing.
    if (property.evidence.empty() || property.violations <= property.evidence.size()) return "";
    return "and " + std::to_string(property.violations - property.evidence.size()) +
           " more violation(s), not shown";
}

std::vector<OutcomeCount> count_outcomes(const RunResults& results) {
    std::vector<OutcomeCount> counts;
    // harness_error is the last ScenarioOutcome; the table in results.cpp lists them in order.
    for (int i = 0; i <= static_cast<int>(ScenarioOutcome::harness_error); ++i) {
        const OutcomeInfo& info = outcome_info(static_cast<ScenarioOutcome>(i));
        std::size_t count = 0;
        for (const ScenarioResult& scenario : results.scenarios)
            if (scenario.outcome == info.outcome) ++count;
        counts.push_back({&info, count});
    }
    return counts;
}

} // namespace ipch
