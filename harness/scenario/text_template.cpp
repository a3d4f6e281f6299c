// Template words in texts. The agent (expand_template in agents/src/agent_plan.cpp) replaces a
// known {word} and keeps anything else as written, so "{agnet}" would silently be sent as is;
// the loader rejects a {word} of lowercase letters that is not one it knows. Other braces
// ("{}", "{ x }", "{Name}") are text, as they are to the agent.
#include "scenario/op_readers.hpp"
#include "scenario/word_lists.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 5> template_words{"agent", "group", "id", "seq", "run"};

bool is_lowercase_word(std::string_view word) {
    return !word.empty() &&
           std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string braced_words() {
    std::string out;
    for (std::string_view word : template_words)
        out += (out.empty() ? "{" : ", {") + std::string(word) + "}";
    return out;
}

} // namespace

void check_template(const Field& field, Diagnostics& diag) {
    const std::string& text = field.node.Scalar();
    // The same scan as the agent's: each '{' up to the next '}' is one candidate.
    for (std::size_t open = text.find('{'); open != std::string::npos;
         open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) return;
        const std::string_view word(text.data() + open + 1, close - open - 1);
        if (!is_lowercase_word(word) ||
            std::find(template_words.begin(), template_words.end(), word) != template_words.end())
            continue;
        std::string what = "unknown template word '{" + shown(word) + "}' in " + field.name;
        const std::string_view near = closest_word(word, template_words);
        if (!near.empty()) what += " (did you mean '{" + std::string(near) + "}'?)";
        diag.error(field.pos, what + "; expected one of: " + braced_words() +
                                  " (other braces are kept as written)");
    }
}

} // namespace ipch::scenario_detail
