// The bad scenario files of tests/data/bad and what each must be rejected with: each file's
// leading comment lines hold one `# expect: LINE:COL: error: ...` per message, in order.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace ipch::test {

// The `# expect:` lines of the comment block the file starts with.
inline std::vector<std::string> expected_messages(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> expected;
    const std::string marker = "# expect: ";
    for (std::string line; std::getline(in, line) && line.starts_with("#");)
        if (line.starts_with(marker)) expected.push_back(line.substr(marker.size()));
    return expected;
}

// Every bad file, in name order.
inline std::vector<std::filesystem::path> bad_files() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(IPCH_TEST_DATA "/bad"))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace ipch::test
