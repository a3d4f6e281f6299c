// `ipc-harness clean [--dry-run]`: removes the named objects of dead runs, never a live run's.
#pragma once

namespace ipch {

int clean_command(bool dry_run);

} // namespace ipch
