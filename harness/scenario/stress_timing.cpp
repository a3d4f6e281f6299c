#include "scenario/stress_timing.hpp"

#include "scenario.hpp" // max_sample_every

#include <charconv>

namespace ipch {

std::optional<StressTiming> parse_stress_timing(std::string_view text) {
    const std::size_t colon = text.find(':');
    const std::string_view mode = text.substr(0, colon);
    if (colon == std::string_view::npos) {
        if (mode == "full") return StressTiming{TimingMode::full, 1};
        if (mode == "sampled") return StressTiming{};
        return std::nullopt;
    }
    if (mode != "sampled") return std::nullopt;
    const std::string_view every_text = text.substr(colon + 1);
    std::uint64_t every = 0;
    const char* const end = every_text.data() + every_text.size();
    const auto [stop, status] = std::from_chars(every_text.data(), end, every);
    if (every_text.empty() || status != std::errc() || stop != end || every < 1 ||
        every > max_sample_every)
        return std::nullopt;
    return StressTiming{every == 1 ? TimingMode::full : TimingMode::sampled,
                        static_cast<std::uint32_t>(every)};
}

} // namespace ipch
