#include "markdown_text.hpp"

#include "text.hpp"

#include <algorithm>
#include <sstream>

namespace ipch {

namespace {

// The ASCII punctuation that makes markup inside a line: emphasis, code spans, links and images
// (an escaped [ leaves no link for ( ) or ! to complete), strikethrough, and # in case a caller
// ever starts a line with a name. The writers never do (a name always follows our own text),
// which is why - + = . need no escaping: they are markup only at a line's start.
constexpr std::string_view backslashed = "\\`*_[]~#";

std::size_t longest_backtick_run(std::string_view text) {
    std::size_t longest = 0;
    std::size_t run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return longest;
}

} // namespace

std::string markdown_text(std::string_view raw) {
    std::string flat(raw);
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    const std::string safe = console_text(flat);
    std::string out;
    out.reserve(safe.size());
    for (const char c : safe) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '|':
            out += "\\|";
            break;
        default:
            if (backslashed.find(c) != std::string_view::npos) out += '\\';
            out += c;
        }
    }
    return out;
}

std::string markdown_code_block(std::string_view text) {
    std::string body;
    std::istringstream lines{std::string(text)};
    for (std::string line; std::getline(lines, line);)
        body += console_text(line) + "\n";
    const std::string fence(std::max<std::size_t>(3, longest_backtick_run(body) + 1), '`');
    return fence + "text\n" + body + fence + "\n";
}

} // namespace ipch
