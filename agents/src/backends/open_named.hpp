// Opening a Boost named synchronisation object (named_mutex, named_semaphore) as a plan says,
// and knowing whether this open created it: what the classic app's bug goes by.
#pragma once

#include "ipch/agent_plan.hpp"

#include <boost/interprocess/creation_tags.hpp>
#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/permissions.hpp>

namespace ipch {

// `create(tag, name, permissions)` and `open(name)` build the object; `created` is set.
// Boost's open_or_create does not say whether it created; create_only, then open_only, does.
// Should the object vanish in between (another agent's remove), it is created again.
template <class Create, class Open>
auto open_named(const AgentPlan& plan, bool& created, Create&& create, Open&& open) {
    namespace bip = boost::interprocess;
    const bip::permissions permissions(plan.permissions);
    const char* name = plan.mutex_name.c_str();
    switch (plan.open_mode) {
    case OpenMode::create_only:
        created = true;
        return create(name, permissions);
    case OpenMode::open_existing:
        created = false;
        return open(name);
    case OpenMode::create_or_open:
        break;
    }
    for (int attempt = 1;; ++attempt) {
        try {
            created = true;
            return create(name, permissions);
        } catch (const bip::interprocess_exception& e) {
            if (e.get_error_code() != bip::already_exists_error) throw;
        }
        try {
            created = false;
            return open(name);
        } catch (const bip::interprocess_exception& e) {
            if (e.get_error_code() != bip::not_found_error || attempt == 3) throw;
        }
    }
}

} // namespace ipch
