// `ipc-harness conformance`: runs the conformance suite over the chosen backends and writes the
// matrix (backends x properties) to the console, OUT/conformance.json and OUT/junit.xml.
#pragma once

#include "run/shard.hpp"

#include <string>

namespace ipch {

struct ConformanceCommand {
    std::string backends = "all";                // --backends LIST
    std::string out_dir = "ipch-conformance";    // --out: reports and kept run directories
    std::string suite = "scenarios/conformance"; // --suite: the suite's scenario files
    std::string agent_exe;                       // default: ipc-agent beside ipc-harness
    Shard shard;          // --shard K/N: only this slice of the matrix's cells (run/shard.hpp)
    std::string markdown; // --markdown FILE: a summary for a CI job's page
    bool quiet = false;
};

// Exit codes: 0 the matrix was produced (fail cells are findings, not errors); 2 bad input (an
// unknown backend, a bad suite file, a suite file whose name is no property); 3 a case could not
// run or a report could not be written; 128 + N interrupted by signal N.
int conformance_command(ConformanceCommand command, const std::string& tool_version);

} // namespace ipch
