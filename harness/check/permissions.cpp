// permissions: every object the run created has exactly the mode the plan asked for (owner-only,
// 0600, unless asked otherwise), whatever the umask of the processes that created it. Judged on
// the harness's observations (stat, or IPC_STAT for an xsi segment) after every agent ended.
// Objects that existed before the run (a `reuse` run's) are not the run's to judge, and one an
// agent removed has no mode left to judge.
#include "check/detail.hpp"
#include "check/objects.hpp"

namespace ipch::check {

namespace {

PropertyResult check_permissions(const History& history, const CheckOptions& options) {
    PropertyResult result;
    result.id = "permissions";
    std::string seen;
    for (const ObjectObservation& object : history.objects) {
        if (!object.created_by_run || !object.exists_after || !object.mode) continue;
        ++result.checked;
        if (!seen.empty()) seen += ", ";
        seen += object.role + " " + mode_text(*object.mode);
        if (*object.mode == object.requested_mode) continue;
        add_violation(result, options, [&] {
            return Evidence{describe_object(object) + " has mode " + mode_text(*object.mode) +
                                "; the plan asked for " + mode_text(object.requested_mode),
                            {}};
        });
    }
    if (result.checked == 0)
        return not_applicable(result.id, history.objects.empty()
                                             ? "the history has no observed objects"
                                             : "no object the run created was left to stat");
    set_verdict(result, result.violations == 0 ? seen + ", each as the plan asked"
                                               : count_of(result.violations, "object", "objects") +
                                                     " not of the mode asked for (" + seen + ")");
    return result;
}

} // namespace

std::unique_ptr<PropertyCheck> permissions(const History& history, const CheckOptions& options) {
    return whole_history<check_permissions>(history, options);
}

} // namespace ipch::check
