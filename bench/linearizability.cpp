// The black-box linearizability checker on random 10k-op histories (issue 4: "typically < 1 s"):
// registers written and read by several clients whose ops overlap in time, linearizable, and the
// same with one stale read injected (which the search must exhaust every order to reject); and
// mutexes, correct and with one overlapping hold. Baseline, in the same run: sorting the same ops
// by call time and scanning them once (what any checker must at least do).
//
//   bench_linearizability [ops] [clients] [histories]     defaults: 10000 8 5
#include "check/linearizability.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using ipch::lin::Action;
using ipch::lin::Operation;
using Clock = std::chrono::steady_clock;

struct Shape {
    std::size_t ops = 10'000;
    std::uint32_t clients = 8;
    std::size_t histories = 5;
};

// Each client runs its ops one after another: a short pause, then an op lasting 1..100 us whose
// effect lands at a random instant inside it. The values then follow from those instants, so the
// history is linearizable by construction, and with 8 clients most ops overlap several others.
struct Timed {
    Operation op;
    std::uint64_t point;
};

std::vector<Operation> register_history(const Shape& shape, std::mt19937_64& random) {
    std::uniform_int_distribution<std::uint64_t> pause(0, 20'000), length(1'000, 100'000);
    std::vector<std::uint64_t> clock(shape.clients, 0);
    std::vector<Timed> timed;
    for (std::size_t i = 0; i < shape.ops; ++i) {
        const auto client = static_cast<std::uint32_t>(random() % shape.clients);
        Operation op;
        op.client = client;
        op.action = random() % 2 == 0 ? Action::write : Action::read;
        op.call = clock[client] + pause(random);
        op.ret = op.call + length(random);
        clock[client] = op.ret;
        timed.push_back({op, op.call + random() % (op.ret - op.call + 1)});
    }
    std::sort(timed.begin(), timed.end(),
              [](const Timed& x, const Timed& y) { return x.point < y.point; });
    ipch::lin::Value current;
    std::vector<std::uint64_t> writes(shape.clients, 0);
    std::vector<Operation> ops;
    for (Timed& t : timed) {
        if (t.op.action == Action::write) {
            current = {t.op.client + 1, ++writes[t.op.client], 0};
            t.op.value = current;
        } else {
            t.op.value = current;
        }
        ops.push_back(t.op);
    }
    return ops;
}

// A read in the middle returns the value of a write that another write, itself done before the
// read began, had already replaced: stale by one.
bool inject_stale_read(std::vector<Operation>& ops) {
    std::sort(ops.begin(), ops.end(),
              [](const Operation& x, const Operation& y) { return x.call < y.call; });
    for (std::size_t r = ops.size() / 2; r < ops.size(); ++r) {
        if (ops[r].action != Action::read) continue;
        const Operation* newer = nullptr;
        for (const Operation& op : ops)
            if (op.action == Action::write && op.ret < ops[r].call &&
                (!newer || op.ret > newer->ret))
                newer = &op;
        const Operation* older = nullptr;
        for (const Operation& op : ops)
            if (newer && op.action == Action::write && op.ret < newer->call &&
                (!older || op.ret > older->ret))
                older = &op;
        if (older && !(older->value == ops[r].value)) {
            ops[r].value = older->value;
            return true;
        }
    }
    return false;
}

// Sections of a correct mutex: each client asks, waits until the lock is free, holds it, lets
// go. The acquire spans asking to getting; the release, letting go to the client's next ask.
std::vector<Operation> mutex_history(const Shape& shape, std::mt19937_64& random) {
    std::uniform_int_distribution<std::uint64_t> pause(0, 50'000), hold(1'000, 10'000);
    std::vector<std::uint64_t> asks(shape.clients, 0);
    std::uint64_t free_at = 0;
    std::vector<Operation> ops;
    std::vector<std::size_t> last_release(shape.clients, SIZE_MAX);
    for (std::size_t i = 0; i + 1 < shape.ops; i += 2) {
        // The client that asks first gets the lock next.
        const auto client =
            static_cast<std::uint32_t>(std::min_element(asks.begin(), asks.end()) - asks.begin());
        const std::uint64_t asked = asks[client];
        const std::uint64_t got = std::max(asked, free_at) + 100;
        const std::uint64_t left = got + hold(random);
        if (last_release[client] != SIZE_MAX) ops[last_release[client]].ret = asked;
        ops.push_back({client, Action::acquire, {}, asked, got});
        ops.push_back({client, Action::release, {}, left, ipch::lin::never});
        last_release[client] = ops.size() - 1;
        free_at = left + 100;
        asks[client] = left + 200 + pause(random);
    }
    return ops;
}

// One hold that starts before the previous holder let go.
bool inject_overlap(std::vector<Operation>& ops) {
    for (std::size_t i = ops.size() / 2; i + 2 < ops.size(); i += 2) {
        if (ops[i].client == ops[i + 2].client) continue;
        ops[i + 2].call = std::min(ops[i + 2].call, ops[i].ret);
        ops[i + 2].ret = ops[i].ret + 1; // acquired right after the holder's acquire, inside it
        return true;
    }
    return false;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// The baseline: sort the ops by call, then one pass (the most ops open at once).
double baseline(std::vector<Operation> ops, std::size_t& open_most) {
    const auto start = Clock::now();
    std::sort(ops.begin(), ops.end(),
              [](const Operation& x, const Operation& y) { return x.call < y.call; });
    std::vector<std::uint64_t> ends;
    open_most = 0;
    for (const Operation& op : ops) {
        ends.erase(std::remove_if(ends.begin(), ends.end(),
                                  [&](std::uint64_t end) { return end < op.call; }),
                   ends.end());
        ends.push_back(op.ret);
        open_most = std::max(open_most, ends.size());
    }
    return seconds_since(start);
}

const char* answer_name(const ipch::lin::Result& result) {
    switch (result.answer) {
    case ipch::lin::Answer::ok:
        return "ok";
    case ipch::lin::Answer::illegal:
        return "illegal";
    case ipch::lin::Answer::unknown:
        return result.out_of_memory ? "unknown (memory)" : "unknown (time)";
    }
    return "?";
}

void measure(const char* name, ipch::lin::Model model, const std::vector<Operation>& ops) {
    std::size_t open_most = 0;
    const double base = baseline(ops, open_most);
    const auto start = Clock::now();
    const ipch::lin::Result result = ipch::lin::check_operations(model, ops);
    const double took = seconds_since(start);
    std::printf("%-23s %6zu ops %3zu open at most  %-16s %9.3f ms  baseline %6.3f ms  x%-6.0f"
                "steps %9llu  states %8zu\n",
                name, ops.size(), open_most, answer_name(result), took * 1e3, base * 1e3,
                took / base, static_cast<unsigned long long>(result.steps), result.states);
}

} // namespace

int main(int argc, char** argv) {
    Shape shape;
    if (argc > 1) shape.ops = std::strtoull(argv[1], nullptr, 10);
    if (argc > 2) shape.clients = static_cast<std::uint32_t>(std::strtoul(argv[2], nullptr, 10));
    if (argc > 3) shape.histories = std::strtoull(argv[3], nullptr, 10);
    std::printf("linearizability: %zu histories of %zu ops, %u clients (budget 10 s each)\n",
                shape.histories, shape.ops, shape.clients);
    for (std::size_t h = 0; h < shape.histories; ++h) {
        std::mt19937_64 random(h + 1); // fixed seeds: the same histories every run
        std::vector<Operation> ops = register_history(shape, random);
        measure("register", ipch::lin::Model::register_model, ops);
        if (inject_stale_read(ops))
            measure("register, 1 stale read", ipch::lin::Model::register_model, ops);
        std::vector<Operation> sections = mutex_history(shape, random);
        measure("mutex", ipch::lin::Model::mutex, sections);
        if (inject_overlap(sections))
            measure("mutex, 1 overlap", ipch::lin::Model::mutex, sections);
    }
    return 0;
}
