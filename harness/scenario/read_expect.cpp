// What the run must show: properties that must hold, properties a negative control must catch
// failing, and (read_thresholds.cpp, read_expected_failures.cpp) thresholds, crashes, errors.
#include "scenario/read_expect.hpp"

#include "properties.hpp"
#include "scenario/read_values.hpp"
#include "scenario/readers.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <tuple>
#include <vector>

namespace ipch::scenario_detail {

namespace {

constexpr std::array<std::string_view, 9> expect_keys{"hold",          "fail",     "min_throughput",
                                                      "max_wait_p99",  "max_wait", "min_fairness",
                                                      "max_overtakes", "crashes",  "errors"};

// A property id as listed, with where it was listed.
struct Listed {
    std::string id;
    SourcePos pos;
};

std::vector<std::string_view> checked_ids() {
    std::vector<std::string_view> ids;
    for (const PropertyInfo& info : property_catalog)
        if (info.checked) ids.push_back(info.id);
    return ids;
}

std::optional<Listed> read_property(const Field& field, Diagnostics& diag) {
    const std::optional<std::string> id = read_string(field, diag);
    if (!id) return std::nullopt;
    const PropertyInfo* info = find_property(*id);
    const std::string accepted = "; expected one of: " + join_words(checked_ids());
    if (info == nullptr) {
        diag.error(field.pos, "unknown property '" + shown(*id) + "'" + accepted);
        return std::nullopt;
    }
    if (!info->checked) {
        diag.error(field.pos, "property '" + *id + "' is not checked by this version" + accepted);
        return std::nullopt;
    }
    return Listed{*id, field.pos};
}

std::vector<Listed> read_property_list(const Field& field, Diagnostics& diag) {
    if (!check_list(field, "a list of property ids", diag)) return {};
    // An empty list would require nothing at all, and quietly turn every verdict into info.
    if (field.node.size() == 0) {
        diag.error(field.pos, field.name + " is empty; expected at least one property id" +
                                  (field.name == "hold" ? " (or all)" : ""));
        return {};
    }
    std::vector<Listed> listed;
    for (const YAML::Node& item : field.node) {
        const std::optional<Listed> property =
            read_property(Field{"a property id", item, diag.pos(item)}, diag);
        if (!property) continue;
        const auto first = std::find_if(listed.begin(), listed.end(),
                                        [&](const Listed& l) { return l.id == property->id; });
        if (first != listed.end()) {
            diag.error(property->pos, "duplicate property '" + property->id + "' (first at line " +
                                          std::to_string(first->pos.line) + ")");
            continue;
        }
        listed.push_back(*property);
    }
    return listed;
}

// A property cannot be required to hold and to fail; the message points at whichever of the
// two comes later in the file.
void check_disjoint(const std::vector<Listed>& hold, const std::vector<Listed>& fail,
                    Diagnostics& diag) {
    for (const Listed& held : hold) {
        for (const Listed& failed : fail) {
            if (held.id != failed.id) continue;
            const bool fail_later = std::tie(failed.pos.line, failed.pos.column) >
                                    std::tie(held.pos.line, held.pos.column);
            diag.error(fail_later ? failed.pos : held.pos,
                       "property '" + held.id +
                           "' is in both hold and fail; expected each property in one list at "
                           "most");
        }
    }
}

std::vector<std::string> ids_of(const std::vector<Listed>& listed) {
    std::vector<std::string> ids;
    for (const Listed& l : listed)
        ids.push_back(l.id);
    return ids;
}

// hold and fail: which properties must hold and which must be caught failing.
void read_property_lists(const MapReader& map, Expectations& expect, Diagnostics& diag) {
    const std::optional<Field> hold_field = map.find("hold");
    const std::optional<Field> fail_field = map.find("fail");

    const std::vector<Listed> fail =
        fail_field ? read_property_list(*fail_field, diag) : std::vector<Listed>{};
    expect.fail = ids_of(fail);
    if (!hold_field) return;
    if (hold_field->node.IsScalar() && hold_field->node.Scalar() == "all") {
        expect.hold_all = true; // every other property that applies; none is named
        return;
    }
    if (!hold_field->node.IsSequence()) {
        diag.error(hold_field->pos, "hold must be 'all' or a list of property ids; got " +
                                        describe(hold_field->node));
        return;
    }
    const std::vector<Listed> hold = read_property_list(*hold_field, diag);
    check_disjoint(hold, fail, diag);
    expect.hold = ids_of(hold);
}

} // namespace

Expectations read_expect(const Field& field, const std::vector<AgentSpec>& agents,
                         Diagnostics& diag) {
    Expectations expect;
    if (!check_map(field, "a map such as {hold: all, min_throughput: 1000}", diag)) return expect;
    const MapReader map(field.node, expect_keys, "in expect", diag);
    read_property_lists(map, expect, diag);
    expect.thresholds = read_thresholds(map, diag);
    if (const auto crashes = map.find("crashes"))
        expect.crashes = read_crashes(*crashes, agents, diag);
    if (const auto errors = map.find("errors"))
        expect.errors = read_expected_errors(*errors, agents, diag);
    return expect;
}

} // namespace ipch::scenario_detail
