// Lists every run that left objects behind, says whether it is alive and why (run_registry.hpp),
// and removes the dead ones' objects — or, with --dry-run, says what it would remove.
#include "clean_command.hpp"

#include "run/run_registry.hpp"

#include <iostream>

namespace ipch {

int clean_command(bool dry_run) {
    const std::vector<RunLeftovers> runs = find_leftovers();
    std::size_t dead = 0;
    std::size_t removed = 0;
    bool all_removed = true;
    for (const RunLeftovers& run : runs) {
        if (run.alive) {
            std::cout << "live run " << run.run_id << ": left alone (" << run.why << ")\n";
            continue;
        }
        ++dead;
        std::cout << "dead run " << run.run_id << " (" << run.why
                  << "): " << (dry_run ? "would remove" : "removing") << "\n";
        for (const Leftover& object : run.objects)
            std::cout << "  " << object.what << "\n";
        if (dry_run) continue;
        const std::vector<std::string> failed = remove_leftovers(run);
        for (const std::string& failure : failed)
            std::cerr << "ipc-harness: cannot remove " << failure << "\n";
        all_removed &= failed.empty();
        removed += run.objects.size() - failed.size();
    }
    if (dry_run)
        std::cout << dead << " dead run(s) and " << runs.size() - dead
                  << " live run(s) found; nothing removed (--dry-run)\n";
    else
        std::cout << removed << " object(s) of " << dead << " dead run(s) removed; "
                  << runs.size() - dead << " live run(s) left alone\n";
    return all_removed ? 0 : 3;
}

} // namespace ipch
