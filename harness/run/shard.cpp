#include "run/shard.hpp"

#include <charconv>

namespace ipch {

namespace {

// Decimal digits only, no sign, no spaces: "03" is 3, "+3" and "3 " are not numbers.
bool read_count(std::string_view text, std::size_t& value) {
    if (text.empty() || text.size() > 9) return false;
    const auto [end, status] = std::from_chars(text.data(), text.data() + text.size(), value);
    return status == std::errc() && end == text.data() + text.size();
}

} // namespace

std::variant<Shard, std::string> parse_shard(const std::string& text) {
    const std::string why = "'" + text +
                            "' is not a shard; expected K/N, two whole numbers with "
                            "1 <= K <= N (as 2/4: the second of four)";
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos) return why;
    Shard shard;
    const std::string_view all(text);
    if (!read_count(all.substr(0, slash), shard.index) ||
        !read_count(all.substr(slash + 1), shard.count))
        return why;
    if (shard.index < 1 || shard.index > shard.count) return why;
    return shard;
}

std::string to_string(const Shard& shard) {
    if (shard.whole()) return "";
    return std::to_string(shard.index) + "/" + std::to_string(shard.count);
}

} // namespace ipch
