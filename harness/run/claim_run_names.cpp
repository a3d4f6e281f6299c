#include "run/claim_run_names.hpp"

#include "run/named_objects.hpp"
#include "run/run_registry.hpp"

#include <filesystem>

namespace ipch {

std::optional<std::string> claim_run_names(const Plan& plan, NameLock& lock) {
    std::string why;
    // The lock file is named like the run's objects, which fixed names may not be (ipch- is
    // reserved), so it cannot clash with a fixed name's lock.
    if (!lock.try_take(registry_lock_name(plan.run_id), why))
        return why + "; with --seed, a case's run id and names are the same in every run: wait for "
                     "the other run of this case and seed to end, or pass another --seed";
    // Under the lock, any object or folder with this run's names is a dead run's.
    RunObjectsGuard leftovers(plan, PreexistingObjects{plan.mapping.fixed, plan.mutex.fixed});
    leftovers.remove_all();
    std::error_code ec;
    std::filesystem::remove_all(plan.run_dir, ec);
    return std::nullopt;
}

} // namespace ipch
