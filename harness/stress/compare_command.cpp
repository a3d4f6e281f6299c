// `ipc-harness compare OLD.json NEW.json`: read both sweeps, compare, print, exit 1 on a
// regression.
#include "stress/compare.hpp"
#include "stress/stress_command.hpp"
#include "text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

namespace ipch::stress {

namespace {

std::optional<std::vector<CaseSample>> read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "ipc-harness compare: cannot read " << console_text(path) << ": "
                  << std::strerror(errno) << "\n";
        return std::nullopt;
    }
    auto samples = read_samples(in);
    if (auto* problem = std::get_if<std::string>(&samples)) {
        std::cerr << "ipc-harness compare: " << console_text(path) << ": " << console_text(*problem)
                  << "\n";
        return std::nullopt;
    }
    return std::get<std::vector<CaseSample>>(std::move(samples));
}

} // namespace

CLI::App* add_compare_command(CLI::App& app, CompareCommand& command) {
    CLI::App* sub = app.add_subcommand(
        "compare", "Compare two stress JSON files: verdict and performance changes per case; "
                   "exit 1 on a regression");
    sub->add_option("old", command.old_path, "The baseline stress JSON")->required();
    sub->add_option("new", command.new_path, "The stress JSON to judge")->required();
    sub->add_option("--threshold", command.threshold_percent,
                    "Percent a median must move (beyond the repeats' spread) to count")
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
                double value = -1;
                try {
                    value = std::stod(text);
                } catch (const std::exception&) {
                }
                return value >= 0 ? "" : "expected a percentage of 0 or more, got " + text;
            },
            "PERCENT"))
        ->capture_default_str();
    return sub;
}

int compare_command(const CompareCommand& command) {
    const auto old_cases = read_file(command.old_path);
    const auto new_cases = read_file(command.new_path);
    if (!old_cases || !new_cases) return 2;
    const Comparison comparison =
        compare_samples(*old_cases, *new_cases, command.threshold_percent);
    write_comparison(std::cout, comparison, command.threshold_percent);
    return comparison.regression() ? 1 : 0;
}

} // namespace ipch::stress
