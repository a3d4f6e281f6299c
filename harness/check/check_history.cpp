// The checker's one entry point: every property this version decides, in catalog order.
#include "check/detail.hpp"

#include <cassert>

namespace ipch {

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::pass:
        return "pass";
    case Verdict::fail:
        return "fail";
    case Verdict::not_applicable:
        return "not-applicable";
    case Verdict::unknown:
        return "unknown";
    }
    return "unknown";
}

namespace {

using PropertyCheck = PropertyResult (*)(const History&, const CheckOptions&);

struct Checker {
    std::string_view id;
    PropertyCheck check;
};

constexpr Checker checkers[] = {
    {"mutual-exclusion", check::mutual_exclusion},
    {"no-torn-read", check::no_torn_read},
    {"no-lost-update", check::no_lost_update},
    {"read-latest", check::read_latest},
    {"writer-order", check::writer_order},
    {"delivery", check::delivery},
    {"timed-lock", check::timed_lock},
    {"progress", check::progress},
    {"fairness", check::fairness},
};

PropertyCheck checker_for(std::string_view id) {
    for (const Checker& checker : checkers)
        if (checker.id == id) return checker.check;
    return nullptr;
}

} // namespace

std::vector<PropertyResult> check_history(const History& history, const CheckOptions& options) {
    std::vector<PropertyResult> results;
    for (const PropertyInfo& info : property_catalog) {
        if (!info.checked) continue;
        const PropertyCheck check = checker_for(info.id);
        // The catalog marks a property checked only once its checker is in the table above.
        assert(check != nullptr && "a checked property has a checker");
        if (check == nullptr) continue;
        results.push_back(check(history, options));
    }
    return results;
}

} // namespace ipch
