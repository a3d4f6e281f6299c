// The `file` mapping kind: a regular file in the run directory (the plan's mapping path, from
// the plan's folder), mapped shared with Boost's file_mapping. The persisted kind: what was
// written stays in the file after every process has unmapped it, until the file is removed.
#include "backends/mapping_kinds.hpp"
#include "backends/plan_file.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/file_mapping.hpp>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>

namespace ipch {

namespace bip = boost::interprocess;

namespace {

OpenError file_error(int error, const AgentPlan& plan, const std::string& path) {
    return OpenError(error, "cannot open mapping file '" + path + "' (" +
                                std::string(to_string(plan.open_mode)) +
                                "): " + std::strerror(error));
}

// The file's size, after sizing it if this agent is the one to; its inode in `inode`.
std::uint64_t size_file(const AgentPlan& plan, int fd, std::uint64_t& inode) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) return static_cast<std::uint64_t>(-1);
    inode = static_cast<std::uint64_t>(info.st_ino);
    const auto size = static_cast<std::uint64_t>(info.st_size);
    if (!sizes_it(plan, size)) return size;
    if (::ftruncate(fd, static_cast<off_t>(plan.mapping_size)) != 0)
        return static_cast<std::uint64_t>(-1);
    return plan.mapping_size;
}

} // namespace

MappedObject map_file(const AgentPlan& plan, std::size_t lock_bytes) {
    const std::string path = mapping_file_path(plan);
    bool created = false;
    const int fd = open_plan_file(plan, path, created);
    if (fd < 0) throw file_error(errno, plan, path);
    std::uint64_t inode = 0;
    const std::uint64_t size = size_file(plan, fd, inode);
    const int error = errno;
    ::close(fd); // the mapping does not need it
    if (size == static_cast<std::uint64_t>(-1)) throw file_error(error, plan, path);
    check_mapping_size("mapping file '" + path + "'", size, lock_bytes);
    try {
        // Mapped by its path again: the inode found above identifies it, unless another agent
        // replaced the file in between (a remove and a new create), which the race would show.
        const bip::file_mapping file(path.c_str(), bip::read_write);
        return MappedObject{bip::mapped_region(file, bip::read_write), created, inode};
    } catch (const bip::interprocess_exception& e) {
        throw file_error(error_of(e), plan, path);
    }
}

int remove_file(const AgentPlan& plan) {
    return ::unlink(mapping_file_path(plan).c_str()) == 0 ? 0 : errno;
}

} // namespace ipch
