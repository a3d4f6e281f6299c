// mutual-exclusion and read-latest for black-box histories: critical sections without lock-order
// stamps. Without the stamp's order of sections, the lock must be linearizable as a mutex and the
// mapping as a register (check/linearizability.hpp). A failure's evidence is the longest
// linearizable prefix the search found and the first op that cannot be placed after it, with
// the ops that overlap it in time.
#include "check/detail.hpp"
#include "check/linearizability_history.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <string>

namespace ipch::check {

namespace {

const std::string method = "black-box check (no lock-order stamps): ";
constexpr std::size_t max_overlapping_named = 3;

struct BlackBox {
    const History& history;
    lin::Model model;
    lin::HistoryOps ops;
    lin::Result result;
};

std::string value_text(const History& history, const lin::Value& value) {
    if (value.writer == 0) return "the empty mapping";
    return "message #" + std::to_string(value.writer_seq) + " of " +
           agent_name(history, value.writer);
}

// "alice's 'write \"hi\"'", or for an op no event records, what it was.
std::string op_name(const BlackBox& box, std::size_t i) {
    const lin::Source& source = box.ops.sources[i];
    if (!source.event)
        return "the write " + box.history.agents[source.agent].name + " had in flight when it died";
    return describe_op(box.history, EventRef{source.agent, *source.event});
}

std::string op_text(const BlackBox& box, std::size_t i) {
    const lin::Operation& op = box.ops.ops[i];
    switch (op.action) {
    case lin::Action::write:
        return op_name(box, i) + " (wrote " + value_text(box.history, op.value) + ")";
    case lin::Action::read:
        return op_name(box, i) + " (read " + value_text(box.history, op.value) + ")";
    case lin::Action::acquire:
        return "the acquire of " + op_name(box, i);
    case lin::Action::release:
        return "the release of " + op_name(box, i);
    }
    return op_name(box, i);
}

std::string span_text(const lin::Operation& op) {
    return "called at " + std::to_string(op.call) + " ns and " +
           (op.ret == lin::never ? std::string("never returned")
                                 : "returned at " + std::to_string(op.ret) + " ns");
}

// The release that ends the section `acquire` opened: its client's first after it.
std::optional<std::size_t> holder_release(const BlackBox& box, std::size_t acquire) {
    const lin::Operation& held = box.ops.ops[acquire];
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < box.ops.ops.size(); ++i) {
        const lin::Operation& op = box.ops.ops[i];
        if (op.action != lin::Action::release || op.client != held.client || op.call < held.call)
            continue;
        if (!found || op.call < box.ops.ops[*found].call) found = i;
    }
    return found;
}

// What the model held after the longest prefix.
std::string state_after(const BlackBox& box) {
    const auto& prefix = box.result.longest_prefix;
    if (box.model == lin::Model::mutex) {
        std::optional<std::size_t> holder;
        for (const std::size_t i : prefix)
            holder =
                box.ops.ops[i].action == lin::Action::acquire ? std::optional(i) : std::nullopt;
        if (!holder) return "the lock was free";
        std::string held = box.history.agents[box.ops.sources[*holder].agent].name +
                           " held the lock, since " + op_text(box, *holder);
        if (const auto release = holder_release(box, *holder))
            held += ", and " + op_text(box, *release) + " was not called before " +
                    std::to_string(box.ops.ops[*release].call) + " ns";
        return held;
    }
    for (auto i = prefix.rbegin(); i != prefix.rend(); ++i)
        if (box.ops.ops[*i].action == lin::Action::write)
            return "the mapping held " + value_text(box.history, box.ops.ops[*i].value) +
                   ", from " + op_name(box, *i);
    if (!prefix.empty()) // reads only: the first fixed what the mapping held before any write
        return "the mapping held " + value_text(box.history, box.ops.ops[prefix.front()].value) +
               ", as it did before any write";
    return "nothing was known of the mapping";
}

std::vector<std::size_t> overlapping(const BlackBox& box, std::size_t unplaced) {
    const lin::Operation& op = box.ops.ops[unplaced];
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < box.ops.ops.size(); ++i) {
        const lin::Operation& other = box.ops.ops[i];
        if (i != unplaced && other.call <= op.ret && op.call <= other.ret) found.push_back(i);
    }
    std::stable_sort(found.begin(), found.end(), [&](std::size_t x, std::size_t y) {
        return box.ops.ops[x].call < box.ops.ops[y].call;
    });
    return found;
}

void add_event(const BlackBox& box, std::size_t i, Evidence& evidence) {
    const lin::Source& source = box.ops.sources[i];
    if (!source.event) return;
    const EvidenceEvent event = evidence_event(box.history, EventRef{source.agent, *source.event});
    for (const EvidenceEvent& named : evidence.events)
        if (named.agent_id == event.agent_id && named.index == event.index) return;
    evidence.events.push_back(event);
}

// The unplaced op, the end of the longest prefix and the state it left, and the ops that
// overlap the unplaced one: the events, in that order.
Evidence not_linearizable(const BlackBox& box) {
    // An illegal answer always names the op it could not place.
    assert(box.result.unplaced && "illegal comes with the op that cannot be placed");
    const std::size_t unplaced = box.result.unplaced.value_or(0);
    const auto& prefix = box.result.longest_prefix;
    Evidence evidence;
    evidence.summary = op_text(box, unplaced) + ", " + span_text(box.ops.ops[unplaced]) +
                       ", cannot be placed after the longest linearizable prefix, " +
                       count_of(prefix.size(), "op", "ops") + " of " +
                       std::to_string(box.ops.ops.size());
    if (!prefix.empty())
        evidence.summary += " ending with " + op_text(box, prefix.back()) + ", " +
                            span_text(box.ops.ops[prefix.back()]);
    evidence.summary += ": then " + state_after(box);
    const std::vector<std::size_t> others = overlapping(box, unplaced);
    evidence.summary +=
        "; " + count_of(others.size(), "op overlaps", "ops overlap") + " it in time";
    for (std::size_t k = 0; k < others.size() && k < max_overlapping_named; ++k)
        evidence.summary += (k == 0 ? ": " : ", ") + op_text(box, others[k]);
    if (others.size() > max_overlapping_named) evidence.summary += ", ...";

    add_event(box, unplaced, evidence);
    if (!prefix.empty()) add_event(box, prefix.back(), evidence);
    for (std::size_t k = 0; k < others.size() && k < max_overlapping_named; ++k)
        add_event(box, others[k], evidence);
    return evidence;
}

BlackBox run(const History& history, lin::Model model, lin::HistoryOps ops,
             const CheckOptions& options) {
    lin::Options search;
    search.budget = std::chrono::nanoseconds(options.linearizability_budget_ns);
    // Before any write the mapping may hold what an earlier run left (reuse: true), as the
    // stamp-based read-latest accepts it.
    search.initial = lin::Initial::any;
    lin::Result result = lin::check_operations(model, ops.ops, search);
    return BlackBox{history, model, std::move(ops), std::move(result)};
}

// The verdict and detail every black-box result shares; `what` names the ops checked.
PropertyResult judge(const BlackBox& box, std::string id, std::uint64_t checked,
                     const std::string& what, const std::string& model_name,
                     const std::string& note, const CheckOptions& options) {
    PropertyResult result;
    result.id = std::move(id);
    result.checked = checked;
    switch (box.result.answer) {
    case lin::Answer::ok:
        result.verdict = Verdict::pass;
        result.detail = method + what + " linearizable as " + model_name + note;
        break;
    case lin::Answer::illegal:
        add_violation(result, options, [&] { return not_linearizable(box); });
        result.verdict = Verdict::fail;
        result.detail = method + what + " not linearizable as " + model_name + note;
        break;
    case lin::Answer::unknown:
        result.verdict = Verdict::unknown;
        result.detail =
            method + "gave up on " + what + " after " +
            (box.result.out_of_memory
                 ? std::string("its cache reached its memory limit")
                 : "its budget of " + duration_text(options.linearizability_budget_ns)) +
            " (" + std::to_string(box.result.steps) + " steps); linearizability unknown" + note;
        break;
    }
    return result;
}

std::string indeterminate_note(std::size_t count, const char* singular, const char* plural) {
    if (count == 0) return {};
    return "; " + count_of(count, singular, plural);
}

} // namespace

PropertyResult black_box_mutual_exclusion(const History& history, const CheckOptions& options) {
    lin::HistoryOps ops = lin::mutex_ops(history, options.tolerance_ns);
    if (ops.ops.empty()) return not_applicable("mutual-exclusion", "no critical sections");
    const std::size_t sections = ops.ops.size() / 2; // an acquire and a release each
    const std::string what =
        count_of(sections, "critical section", "critical sections") + " (" +
        count_of(ops.ops.size(), "acquire or release", "acquires and releases") + ")";
    const std::string note = indeterminate_note(
        ops.indeterminate, "section left unreleased by a crash, its release indeterminate",
        "sections left unreleased by crashes, their releases indeterminate");
    const BlackBox box = run(history, lin::Model::mutex, std::move(ops), options);
    return judge(box, "mutual-exclusion", sections, what, "a mutex", note, options);
}

PropertyResult black_box_read_latest(const History& history, const CheckOptions& options) {
    lin::HistoryOps ops = lin::register_ops(history, options.tolerance_ns);
    const auto reads = static_cast<std::size_t>(
        std::count_if(ops.ops.begin(), ops.ops.end(),
                      [](const lin::Operation& op) { return op.action == lin::Action::read; }));
    if (reads == 0) return not_applicable("read-latest", "no reads");
    const std::string what = count_of(reads, "read", "reads") + " and " +
                             count_of(ops.ops.size() - reads, "write", "writes");
    const std::string note =
        indeterminate_note(ops.indeterminate, "write in flight when its agent died, indeterminate",
                           "writes in flight when their agents died, indeterminate");
    const BlackBox box = run(history, lin::Model::register_model, std::move(ops), options);
    return judge(box, "read-latest", reads, what, "a register", note, options);
}

} // namespace ipch::check
