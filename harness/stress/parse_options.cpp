// The stress command's options, from text: every problem found, each with what was expected.
#include "scenario/stress_timing.hpp"
#include "scenario/word_lists.hpp"
#include "stress/stress_command.hpp"

#include <array>
#include <charconv>

namespace ipch::stress {

namespace {

constexpr std::uint64_t max_payload = max_stress_payload;
constexpr std::uint64_t max_repeat = max_stress_repeat;

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        items.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos) return items;
        start = comma + 1;
    }
}

std::optional<std::uint64_t> parse_number(const std::string& text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, status] = std::from_chars(text.data(), end, value);
    if (text.empty() || status != std::errc() || stop != end) return std::nullopt;
    return value;
}

// A bare 0 is a duration too: `--hold 0` means no hold.
std::optional<std::uint64_t> parse_duration(const std::string& text) {
    return text == "0" ? std::optional<std::uint64_t>(0) : parse_duration_ns(text);
}

template <typename Kind, std::size_t N>
std::optional<Kind> kind_named(const std::string& name, const std::array<Kind, N>& kinds,
                               const char* option, const char* what,
                               std::vector<std::string>& problems) {
    std::vector<std::string_view> names;
    for (const Kind kind : kinds) {
        if (to_string(kind) == name) return kind;
        names.push_back(to_string(kind));
    }
    std::string problem = std::string(option) + ": '" + name + "' is not a " + what +
                          "; expected one of: " + scenario_detail::join_words(names);
    const std::string_view guess = scenario_detail::closest_word(name, names);
    if (!guess.empty()) problem += " (did you mean '" + std::string(guess) + "'?)";
    problems.push_back(problem);
    return std::nullopt;
}

void read_backends(const StressCommand& command, StressConfig& config,
                   std::vector<std::string>& problems) {
    config.backends.clear();
    for (const std::string& name : split(command.backends))
        if (auto kind = kind_named(name, all_mutex_kinds, "--backend", "mutex kind", problems))
            config.backends.push_back(*kind);
}

void read_agents(const StressCommand& command, StressConfig& config,
                 std::vector<std::string>& problems) {
    config.agents.clear();
    for (const std::string& item : split(command.agents)) {
        const auto count = parse_number(item);
        if (!count || *count < 1 || *count > max_agents) {
            problems.push_back("--agents: '" + item + "' is not an agent count; expected " +
                               "numbers from 1 to " + std::to_string(max_agents) +
                               ", comma-separated (1,2,4,16)");
            continue;
        }
        config.agents.push_back(static_cast<std::uint32_t>(*count));
    }
}

void read_duration(const std::string& text, const char* option, bool may_be_zero, std::uint64_t& ns,
                   std::vector<std::string>& problems) {
    const auto value = parse_duration(text);
    if (value && (may_be_zero || *value > 0) && *value <= max_duration_ns) {
        ns = *value;
        return;
    }
    problems.push_back(std::string(option) + ": '" + text + "' is not a duration; expected " +
                       (may_be_zero ? "0 or " : "") + "a number and a unit (ns, us, ms, s, m), " +
                       (may_be_zero ? "" : "more than 0, ") + "at most 24 hours, e.g. 2s, 500ms");
}

void read_counts(const StressCommand& command, StressConfig& config,
                 std::vector<std::string>& problems) {
    const auto payload = parse_number(command.payload);
    if (payload && *payload >= 1 && *payload <= max_payload)
        config.payload_bytes = *payload;
    else
        problems.push_back("--payload: '" + command.payload +
                           "' is not a payload size; expected a number of bytes from 1 to " +
                           std::to_string(max_payload));
    const auto repeat = parse_number(command.repeat);
    if (repeat && *repeat >= 1 && *repeat <= max_repeat)
        config.repeat = static_cast<std::uint32_t>(*repeat);
    else
        problems.push_back("--repeat: '" + command.repeat +
                           "' is not a repeat count; expected a number from 1 to " +
                           std::to_string(max_repeat));
}

void read_timing(const StressCommand& command, StressConfig& config,
                 std::vector<std::string>& problems) {
    const std::string& text = command.timing;
    if (const auto timing = parse_stress_timing(text)) {
        config.timing = timing->mode;
        config.sample_every = timing->sample_every;
    } else if (text.starts_with("sampled:")) {
        problems.push_back("--timing: '" + text + "' has no sample rate; expected sampled:K, " +
                           "K from 1 to " + std::to_string(max_sample_every));
    } else {
        problems.push_back("--timing: '" + text +
                           "' is not a timing mode; expected one of: full, sampled, sampled:K");
    }
}

void read_clock(const StressCommand& command, StressConfig& config,
                std::vector<std::string>& problems) {
    if (command.clock == "auto")
        config.clock = ClockChoice::automatic;
    else if (command.clock == "monotonic")
        config.clock = ClockChoice::monotonic;
    else
        problems.push_back("--clock: '" + command.clock +
                           "' is not a clock; expected one of: auto, monotonic");
}

} // namespace

std::variant<StressConfig, std::vector<std::string>>
parse_stress_options(const StressCommand& command) {
    StressConfig config;
    std::vector<std::string> problems;
    read_backends(command, config, problems);
    if (auto kind =
            kind_named(command.mapping, all_mapping_kinds, "--mapping", "mapping kind", problems))
        config.mapping = *kind;
    read_agents(command, config, problems);
    read_duration(command.duration, "--duration", false, config.duration_ns, problems);
    read_duration(command.warmup, "--warmup", true, config.warmup_ns, problems);
    read_duration(command.hold, "--hold", true, config.hold_ns, problems);
    read_counts(command, config, problems);
    read_timing(command, config, problems);
    read_clock(command, config, problems);
    config.pin = command.pin;
    if (!problems.empty()) return problems;
    return config;
}

} // namespace ipch::stress
