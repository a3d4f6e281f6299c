// The process's umask set for a scope and put back after it. The umask is process-wide: only
// for a single-threaded moment (the agent; the harness between runs).
#pragma once

#include <sys/stat.h>

namespace ipch {

class ScopedUmask {
  public:
    explicit ScopedUmask(mode_t mask) : saved_(::umask(mask)) {}
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;
    ~ScopedUmask() { ::umask(saved_); }

  private:
    mode_t saved_;
};

} // namespace ipch
