#include "backends/plan_file.hpp"

#include "backends/open_named.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ipch {

namespace {

int open_file(const std::string& path, int flags, mode_t mode) {
    return ::open(path.c_str(), flags | O_RDWR | O_CLOEXEC, mode);
}

} // namespace

int open_plan_file(const AgentPlan& plan, const std::string& path, bool& created) {
    const auto mode = static_cast<mode_t>(plan.permissions);
    created = false;
    if (plan.open_mode == OpenMode::open_existing) return open_file(path, 0, 0);
    int fd = -1;
    {
        const ScopedUmask cleared(0); // born with the plan's mode: no moment at the umask's
        fd = open_file(path, O_CREAT | O_EXCL, mode);
    }
    created = fd >= 0;
    if (fd >= 0 && ::fchmod(fd, mode) != 0) {
        const int error = errno;
        ::close(fd);
        errno = error;
        return -1;
    }
    if (fd < 0 && errno == EEXIST && plan.open_mode == OpenMode::create_or_open)
        fd = open_file(path, 0, 0);
    return fd;
}

} // namespace ipch
