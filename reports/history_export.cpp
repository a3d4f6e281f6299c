#include "history_export.hpp"

#include "check/linearizability_history.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

namespace ipch {

namespace {

// ordered_json keeps keys in the order the formats' documentation gives them.
using Json = nlohmann::ordered_json;

// Go's time.Duration and Porcupine's Call/Return are int64: "infinity" is its largest value.
constexpr std::uint64_t porcupine_infinity = std::numeric_limits<std::int64_t>::max();

Json value_json(const lin::Value& value) {
    if (value.writer == 0) return nullptr;
    return std::to_string(value.writer) + ":" + std::to_string(value.writer_seq);
}

const char* action_name(lin::Action action) {
    switch (action) {
    case lin::Action::write:
        return "write";
    case lin::Action::read:
        return "read";
    case lin::Action::acquire:
        return "acquire";
    case lin::Action::release:
        return "release";
    }
    return "read";
}

// The ops in call order (ties: by client, then as collected), so the file does not depend on
// the order agents are listed in beyond that.
std::vector<lin::Operation> ops_in_call_order(const History& history, lin::Model model) {
    std::vector<lin::Operation> ops =
        (model == lin::Model::mutex ? lin::mutex_ops(history) : lin::register_ops(history)).ops;
    std::stable_sort(ops.begin(), ops.end(), [](const lin::Operation& x, const lin::Operation& y) {
        return x.call != y.call ? x.call < y.call : x.client < y.client;
    });
    return ops;
}

// Porcupine: {"ClientId", "Input", "Call", "Output", "Return"} per op. Input is {"op", "value"}
// for a write, {"op"} otherwise; Output a read's value, else null.
Json porcupine_op(const lin::Operation& op) {
    Json input = Json{{"op", action_name(op.action)}};
    if (op.action == lin::Action::write) input["value"] = value_json(op.value);
    const Json output = op.action == lin::Action::read ? value_json(op.value) : Json(nullptr);
    return Json{{"ClientId", op.client},
                {"Input", std::move(input)},
                {"Call", op.call},
                {"Output", output},
                {"Return", op.ret == lin::never ? porcupine_infinity : op.ret}};
}

struct KnossosEvent {
    std::uint64_t time;
    const lin::Operation* op;
    const char* type; // invoke, ok, info
};

Json knossos_event(const KnossosEvent& event, std::size_t index) {
    const lin::Operation& op = *event.op;
    Json json = Json{{"process", op.client}, {"type", event.type}, {"f", action_name(op.action)}};
    // A read's invocation does not know its value yet; a write's carries it throughout.
    if (op.action == lin::Action::write)
        json["value"] = value_json(op.value);
    else if (op.action == lin::Action::read)
        json["value"] =
            std::string_view(event.type) == "invoke" ? Json(nullptr) : value_json(op.value);
    json["time"] = event.time;
    json["index"] = index;
    return json;
}

// Knossos wants each process to have one op open at a time, so each process's events keep its
// own order; across processes, events go by time, invocations first at the same instant (the
// ops are then concurrent, as the harness's own check takes them). Ops that never returned
// complete as `info` at the end.
std::vector<KnossosEvent> knossos_events(const std::vector<lin::Operation>& ops) {
    std::uint32_t processes = 0;
    std::uint64_t last = 0;
    for (const lin::Operation& op : ops) {
        processes = std::max(processes, op.client + 1);
        last = std::max({last, op.call, op.ret == lin::never ? 0 : op.ret});
    }
    std::vector<std::vector<KnossosEvent>> lanes(processes);
    std::vector<KnossosEvent> unfinished;
    for (const lin::Operation& op : ops) {
        lanes[op.client].push_back({op.call, &op, "invoke"});
        if (op.ret == lin::never)
            unfinished.push_back({last, &op, "info"});
        else
            lanes[op.client].push_back({op.ret, &op, "ok"});
    }
    std::vector<std::size_t> head(processes, 0);
    std::vector<KnossosEvent> events;
    const auto rank = [](const KnossosEvent& e) {
        return std::string_view(e.type) == "invoke" ? 0 : 1;
    };
    for (;;) {
        std::optional<std::uint32_t> next;
        for (std::uint32_t p = 0; p < processes; ++p) {
            if (head[p] == lanes[p].size()) continue;
            const KnossosEvent& e = lanes[p][head[p]];
            if (!next) {
                next = p;
                continue;
            }
            const KnossosEvent& best = lanes[*next][head[*next]];
            if (e.time < best.time || (e.time == best.time && rank(e) < rank(best))) next = p;
        }
        if (!next) break;
        events.push_back(lanes[*next][head[*next]++]);
    }
    events.insert(events.end(), unfinished.begin(), unfinished.end());
    return events;
}

void write_lines(std::ostream& out, const std::vector<Json>& items) {
    out << "[\n";
    for (std::size_t i = 0; i < items.size(); ++i)
        out << items[i].dump() << (i + 1 < items.size() ? ",\n" : "\n");
    out << "]\n";
}

} // namespace

std::optional<HistoryFormat> history_format_named(std::string_view name) {
    if (name == "porcupine") return HistoryFormat::porcupine;
    if (name == "knossos" || name == "elle") return HistoryFormat::knossos;
    return std::nullopt;
}

HistoryFormat history_format_for_path(const std::string& path) {
    const auto ends_with = [&](std::string_view suffix) {
        return path.size() >= suffix.size() &&
               std::string_view(path).substr(path.size() - suffix.size()) == suffix;
    };
    return ends_with(".knossos.json") || ends_with(".elle.json") ? HistoryFormat::knossos
                                                                 : HistoryFormat::porcupine;
}

std::optional<lin::Model> history_model_named(std::string_view name) {
    if (name == "register") return lin::Model::register_model;
    if (name == "mutex") return lin::Model::mutex;
    return std::nullopt;
}

void write_history(std::ostream& out, const History& history, lin::Model model,
                   HistoryFormat format) {
    const std::vector<lin::Operation> ops = ops_in_call_order(history, model);
    std::vector<Json> items;
    if (format == HistoryFormat::porcupine) {
        for (const lin::Operation& op : ops)
            items.push_back(porcupine_op(op));
    } else {
        const std::vector<KnossosEvent> events = knossos_events(ops);
        for (std::size_t i = 0; i < events.size(); ++i)
            items.push_back(knossos_event(events[i], i));
    }
    write_lines(out, items);
}

} // namespace ipch
