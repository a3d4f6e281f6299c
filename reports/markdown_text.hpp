// Markdown's escaping, over text.hpp's sanitize: what a CI job summary page (GitHub's GFM, GitLab's
// Markdown) shows of a string from a scenario, an agent or the checker, inert. Shared by the
// Markdown writers of `run` (markdown_report), `conformance` and `stress`.
#pragma once

#include <string>
#include <string_view>

namespace ipch {

// `raw` for running text or a table cell: sanitised as for the console (no control characters,
// invalid UTF-8 as \xNN; a line break becomes a space), then every character Markdown or the
// HTML it allows could read as markup escaped: < > & as entities (a tag or an entity in a name
// stays text), | so that a cell cannot split, and \ ` * _ [ ] ~ # with a backslash, so that no
// emphasis, code, link, image or strikethrough starts inside a name. For text inside a line:
// a name that began a line could still start a list (- + 1.).
std::string markdown_text(std::string_view raw);

// `text` (lines, not yet sanitised) as a fenced code block whose fence is longer
// than any run of backticks inside, so nothing inside can close it. Each line is sanitised as
// for the console; a code block shows < > & as typed, so they need no escaping.
std::string markdown_code_block(std::string_view text);

} // namespace ipch
