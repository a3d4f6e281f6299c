// persistence: what remains of the run's named objects once every agent ended (every handle
// closed), and whether the mapping still holds its last message. Reported, not judged: the
// answer differs by backend (a POSIX shm object and a file stay until removed, an xsi segment
// stays until IPC_RMID) and every answer is one a team may want; the verdict is `observed`.
#include "check/detail.hpp"
#include "check/objects.hpp"

namespace ipch::check {

namespace {

// "mapping kept with its data", "mapping kept, empty", "mutex gone"
std::string what_remains(const ObjectObservation& object) {
    std::string text = object.role;
    if (!object.exists_after) return text + " gone";
    text += " kept";
    if (object.holds_message) text += *object.holds_message ? " with its data" : ", empty";
    if (!object.created_by_run) text += " (it existed before the run)";
    return text;
}

PropertyResult check_persistence(const History& history, const CheckOptions&) {
    if (history.objects.empty())
        return not_applicable("persistence", "the history has no observed objects");
    PropertyResult result;
    result.id = "persistence";
    result.verdict = Verdict::observed;
    for (const ObjectObservation& object : history.objects) {
        ++result.checked;
        if (!result.detail.empty()) result.detail += "; ";
        result.detail += what_remains(object);
    }
    return result;
}

} // namespace

std::unique_ptr<PropertyCheck> persistence(const History& history, const CheckOptions& options) {
    return whole_history<check_persistence>(history, options);
}

} // namespace ipch::check
