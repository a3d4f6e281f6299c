// Opening a named object as a plan's open mode says, and knowing whether this open created it:
// what the classic app's bug goes by, and what the create-open-race property counts.
#pragma once

#include "backend.hpp"
#include "ipch/agent_plan.hpp"
#include "ipch/scoped_umask.hpp"

#include <boost/interprocess/creation_tags.hpp>
#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/permissions.hpp>
#include <string>
#include <sys/stat.h>

namespace ipch {

// The umask is cleared (ScopedUmask(0)) while an object is created, so that it is born with
// exactly the plan's mode: sem_open, shm_open and open() apply the creator's umask (0277 would
// leave an owner-only object read-only to its own user), and a fix-up after creation
// (fix_created_mode) leaves a moment in which another agent's open would meet that mode. The
// agent is single-threaded, so the process-wide umask changes for nobody else.
//
// `create()` and `open()` build the object (Boost's create_only, open_only); `created` is set.
// Boost's open_or_create does not say whether it created; create_only, then open_only, does.
// Should the object vanish in between (another agent's remove), it is created again.
template <class Create, class Open>
auto create_or_open_as(OpenMode mode, bool& created, Create&& create, Open&& open) {
    namespace bip = boost::interprocess;
    switch (mode) {
    case OpenMode::create_only: {
        created = true;
        const ScopedUmask cleared(0);
        return create();
    }
    case OpenMode::open_existing:
        created = false;
        return open();
    case OpenMode::create_or_open:
        break;
    }
    for (int attempt = 1;; ++attempt) {
        try {
            created = true;
            const ScopedUmask cleared(0);
            return create();
        } catch (const bip::interprocess_exception& e) {
            if (e.get_error_code() != bip::already_exists_error) throw;
        }
        try {
            created = false;
            return open();
        } catch (const bip::interprocess_exception& e) {
            if (e.get_error_code() != bip::not_found_error || attempt == 3) throw;
        }
    }
}

// Sets the mode of the named mutex object this agent created to the plan's, whatever the umask
// did: Boost cannot fchmod a POSIX semaphore (sem_open gives no descriptor), so its path
// (mutex_object_path: /dev/shm/sem.NAME) is chmod()ed. Throws OpenError.
void fix_created_mode(const AgentPlan& plan);

// The plan's named mutex object: `create(name, permissions)` and `open(name)` build it; the
// caller fixes the mode of the one it created (fix_created_mode: Boost's are neither copied nor
// moved, so this cannot). Throws OpenError ("cannot open named_mutex 'NAME' (create_or_open):
// ...").
template <class Create, class Open>
auto open_named(const AgentPlan& plan, bool& created, Create&& create, Open&& open) {
    const boost::interprocess::permissions permissions(plan.permissions);
    const char* name = plan.mutex_name.c_str();
    try {
        return create_or_open_as(
            plan.open_mode, created, [&] { return create(name, permissions); },
            [&] { return open(name); });
    } catch (const boost::interprocess::interprocess_exception& e) {
        throw OpenError(error_of(e), "cannot open " + std::string(to_string(plan.mutex_kind)) +
                                         " '" + plan.mutex_name + "' (" +
                                         std::string(to_string(plan.open_mode)) + "): " + e.what());
    }
}

} // namespace ipch
