// Linearizability of a concurrent history against a sequential model, for histories that carry no
// lock-order stamp (black-box histories: external agents may omit it). Two models: a register
// (the mapping's message: write v, read -> v) and a mutex (acquire, release; one holder at a
// time). The search is Wing & Gong's, with Lowe's memoisation, as Porcupine does it: the call
// and return entries sorted by time in a doubly linked list, an op linearized by lifting both its
// entries out of the list and undone by putting them back, and a cache of (ops linearized, model
// state) so that no configuration is explored twice. The answer is a value: ok, illegal, or
// unknown when the time budget ran out, never an exception and never a search without end.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace ipch::lin {

// The return time of an op whose end is unknown: its client died with it in flight (Jepsen's
// `info`). It may take effect at any time after its call, or never.
inline constexpr std::uint64_t never = UINT64_MAX;

enum class Action : std::uint8_t { write, read, acquire, release };

// A register value: a message's identity, or the empty mapping (writer 0).
struct Value {
    std::uint32_t writer = 0;
    std::uint64_t writer_seq = 0;
    std::uint64_t checksum = 0;
    bool operator==(const Value&) const = default;
};

struct Operation {
    std::uint32_t client = 0; // who called it; a mutex's holder is a client
    Action action = Action::read;
    Value value;            // a write's value, a read's result; unused by the mutex
    std::uint64_t call = 0; // ns: the op took effect at or after its call...
    std::uint64_t ret = 0;  // ...and at or before its return (`never`: maybe not at all)
};

enum class Model { register_model, mutex };

// What a register holds before the first write: the empty mapping, or any one value, fixed by
// the first read that sees it (a mapping reused from an earlier run).
enum class Initial { empty, any };

struct Options {
    std::chrono::nanoseconds budget = std::chrono::seconds(10);
    Initial initial = Initial::empty;
    // The cache grows with the configurations explored; past this the answer is unknown too.
    std::size_t max_cache_bytes = std::size_t{1} << 30;
};

enum class Answer { ok, illegal, unknown };

struct Result {
    Answer answer = Answer::ok;
    // ok: a linearization of every op; illegal: the longest linearizable prefix the search
    // found. Indices into the ops, in linearization order.
    std::vector<std::size_t> longest_prefix;
    // illegal: the op that could not be placed after longest_prefix (it returned before any
    // order of the ops open at that point let it take effect).
    std::optional<std::size_t> unplaced;
    std::uint64_t steps = 0;    // ops the search tried to linearize, backtracking included
    std::size_t states = 0;     // configurations cached
    bool out_of_memory = false; // unknown because the cache reached max_cache_bytes
};

// Whether `ops` are linearizable under `model`. Deterministic for the same ops and options,
// unless the budget runs out.
Result check_operations(Model model, std::span<const Operation> ops, const Options& options = {});

} // namespace ipch::lin
