// The --shard option of run, conformance and stress, registered one way for all three: a value
// that is no K/N is a usage error like any other ("--shard: '3/2' is not a shard; expected
// K/N, ...", exit 2), and a good one is parsed into the command's Shard.
#pragma once

#include "run/shard.hpp"

#include <CLI/CLI.hpp>
#include <string>
#include <variant>

namespace ipch {

inline CLI::Option* add_shard_option(CLI::App& app, Shard& shard, const std::string& description) {
    const CLI::Validator k_of_n(
        [](std::string& text) {
            const auto parsed = parse_shard(text);
            const auto* why = std::get_if<std::string>(&parsed);
            return why != nullptr ? *why : std::string();
        },
        "K/N");
    return app.add_option("--shard", description)
        ->type_name("K/N")
        ->check(k_of_n)
        ->each([&shard](const std::string& text) { shard = std::get<Shard>(parse_shard(text)); });
}

} // namespace ipch
