// Explicit critical sections: `lock` (or try_lock, timed_lock) ... `unlock`. A section opens and
// closes in one op list, so an agent's plan always leaves the lock it took, on every path through
// its repeats; and nothing inside it waits on other agents, who may be waiting for this lock.
#include "scenario/op_readers.hpp"

#include <string_view>

namespace ipch::scenario_detail {

namespace {

bool opens_section(OpKind kind) {
    return kind == OpKind::lock || kind == OpKind::try_lock || kind == OpKind::timed_lock;
}

// Why an op may not run inside a section; empty when it may.
std::string_view why_not_inside(OpKind kind) {
    switch (kind) {
    case OpKind::barrier:
        return "the agents it waits for may be waiting for this lock";
    case OpKind::wait_for:
        return "its writer needs this lock to write";
    case OpKind::open:
    case OpKind::close:
    case OpKind::remove:
        return "the mutex must stay open while it is held";
    default:
        return {};
    }
}

std::string name_of(const OpSpec& op) {
    return std::string(to_string(op.kind));
}

std::string section_opened_by(const OpSpec& lock) {
    return "the critical section opened by '" + name_of(lock) + "' at line " +
           std::to_string(lock.pos.line);
}

void check_inside(const OpSpec& op, const OpSpec& lock, Diagnostics& diag) {
    if (const std::string_view why = why_not_inside(op.kind); !why.empty()) {
        diag.error(op.pos, name_of(op) + " inside " + section_opened_by(lock) +
                               "; expected it before the lock or after the unlock (" +
                               std::string(why) + ")");
    } else if (op.kind == OpKind::crash && op.crash_at != CrashPoint::holding_lock &&
               op.crash_at != CrashPoint::mid_write) {
        diag.error(op.pos, "crash at " + std::string(to_string(op.crash_at)) + " inside " +
                               section_opened_by(lock) +
                               "; expected holding-lock or mid-write there (the lock is held)");
    }
}

// One op list; `outer` is the section an enclosing list holds open around it (a repeat inside a
// section), if any.
void check_list(const std::vector<OpSpec>& ops, const OpSpec* outer, Diagnostics& diag) {
    const OpSpec* open = nullptr; // the section this list opened and has not closed yet
    for (const OpSpec& op : ops) {
        const OpSpec* section = open != nullptr ? open : outer;
        if (op.is_repeat) {
            check_list(op.ops, section, diag);
        } else if (opens_section(op.kind)) {
            if (section != nullptr)
                diag.error(op.pos, name_of(op) + " inside " + section_opened_by(*section) +
                                       "; expected an unlock before it (sections do not nest)");
            else
                open = &op;
        } else if (op.kind == OpKind::unlock) {
            if (open != nullptr)
                open = nullptr;
            else
                diag.error(op.pos, std::string("unlock without a lock before it in its op list; "
                                               "expected a lock, try_lock or timed_lock earlier in "
                                               "the same list") +
                                       (outer != nullptr ? " (a section opened outside a repeat "
                                                           "closes outside it)"
                                                         : ""));
        } else if (section != nullptr) {
            check_inside(op, *section, diag);
        }
    }
    if (open != nullptr)
        diag.error(open->pos, name_of(*open) + " without an unlock after it in its op list; "
                                               "expected an unlock later in the same list");
}

} // namespace

void check_sections(const std::vector<OpSpec>& ops, Diagnostics& diag) {
    check_list(ops, nullptr, diag);
}

} // namespace ipch::scenario_detail
