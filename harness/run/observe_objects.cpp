#include "run/observe_objects.hpp"

#include "ipch/mapping_layout.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ipch {

std::size_t tail_guard_offset(std::size_t mapping_size) {
    return mapping_size - sizeof(std::uint64_t);
}

namespace {

std::string hex_text(std::uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

// What the mapping's bytes say: whether the guard words are zero, and whether a message is
// there. `bytes` is the whole mapping, `size` bytes long, mapped read-only.
void read_mapping_bytes(const unsigned char* bytes, std::size_t size, std::size_t lock_bytes,
                        ObjectObservation& observation) {
    const auto layout = mapping_layout(size, lock_bytes);
    if (!layout || size < layout->payload_offset + sizeof(std::uint64_t)) {
        observation.detail = std::to_string(size) + " bytes: too small for the header and guard";
        return;
    }
    MappingHeader header{};
    std::memcpy(&header, bytes + layout->header_offset, sizeof header);
    std::uint64_t guard = 0;
    std::memcpy(&guard, bytes + tail_guard_offset(size), sizeof guard);
    observation.guard_intact = guard == 0 && header.reserved == 0;
    observation.holds_message = header.message.writer != 0;
    observation.detail = header.message.writer != 0
                             ? "holds message #" + std::to_string(header.message.writer_seq) +
                                   " of agent " + std::to_string(header.message.writer) + " (" +
                                   std::to_string(header.message.length) + " bytes)"
                             : "holds no message";
    if (guard != 0) observation.detail += "; tail guard reads " + hex_text(guard);
    if (header.reserved != 0)
        observation.detail += "; header's reserved word reads " + hex_text(header.reserved);
}

// A file (or a POSIX shm object, a file under /dev/shm): its mode and size by lstat, and for
// the mapping its bytes, mapped read-only.
void observe_path(const std::string& path, std::size_t lock_bytes, ObjectObservation& observation) {
    struct stat info {};
    if (::lstat(path.c_str(), &info) != 0) {
        observation.exists_after = errno != ENOENT;
        if (observation.exists_after)
            observation.detail = "cannot stat it: " + std::string(std::strerror(errno));
        return;
    }
    observation.exists_after = true;
    observation.mode = static_cast<std::uint32_t>(info.st_mode & 0777);
    observation.size = static_cast<std::uint64_t>(info.st_size);
    if (observation.role != "mapping" || info.st_size <= 0) return;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        observation.detail = "cannot open it to read: " + std::string(std::strerror(errno));
        return;
    }
    const auto size = static_cast<std::size_t>(info.st_size);
    void* bytes = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd); // the mapping keeps what it needs
    if (bytes == MAP_FAILED) {
        observation.detail = "cannot map it to read: " + std::string(std::strerror(errno));
        return;
    }
    read_mapping_bytes(static_cast<const unsigned char*>(bytes), size, lock_bytes, observation);
    ::munmap(bytes, size);
}

void observe_xsi(std::int32_t key, std::size_t lock_bytes, ObjectObservation& observation) {
    const int id = ::shmget(key, 0, 0);
    if (id < 0) {
        observation.exists_after = errno != ENOENT;
        if (observation.exists_after)
            observation.detail = "cannot get it: " + std::string(std::strerror(errno));
        return;
    }
    observation.exists_after = true;
    shmid_ds info{};
    if (::shmctl(id, IPC_STAT, &info) != 0) {
        observation.detail = "cannot stat it: " + std::string(std::strerror(errno));
        return;
    }
    observation.mode = static_cast<std::uint32_t>(info.shm_perm.mode & 0777);
    observation.size = static_cast<std::uint64_t>(info.shm_segsz);
    void* bytes = ::shmat(id, nullptr, SHM_RDONLY);
    if (bytes == reinterpret_cast<void*>(-1)) {
        observation.detail = "cannot attach it to read: " + std::string(std::strerror(errno));
        return;
    }
    read_mapping_bytes(static_cast<const unsigned char*>(bytes), info.shm_segsz, lock_bytes,
                       observation);
    ::shmdt(bytes);
}

// Every agent's plan asks for the same mode (make_plan); a plan without agents, for the default.
std::uint32_t requested_mode(const Plan& plan) {
    return plan.agents.empty() ? AgentPlan{}.permissions : plan.agents.front().permissions;
}

ObjectObservation observe_mapping(const Plan& plan, bool preexisting) {
    ObjectObservation observation;
    observation.role = "mapping";
    observation.kind = to_string(plan.mapping_kind);
    observation.name = plan.mapping.name;
    observation.created_by_run = !preexisting;
    observation.requested_mode = requested_mode(plan);
    observation.requested_size = plan.mapping_size;
    const auto lock_bytes = static_cast<std::size_t>(plan.lock_bytes);
    if (plan.mapping_kind == MappingKind::xsi) {
        const std::int32_t key = xsi_key_for(plan.mapping.name);
        observation.where = "xsi key " + xsi_key_text(key);
        observe_xsi(key, lock_bytes, observation);
    } else {
        observation.where = mapping_path(plan);
        observe_path(observation.where, lock_bytes, observation);
    }
    return observation;
}

} // namespace

std::vector<ObjectObservation> observe_objects(const Plan& plan, PreexistingObjects preexisting) {
    std::vector<ObjectObservation> objects{observe_mapping(plan, preexisting.mapping)};
    const std::string mutex_path = mutex_object_path(plan);
    if (mutex_path.empty()) return objects;
    ObjectObservation mutex;
    mutex.role = "mutex";
    mutex.kind = to_string(plan.mutex_kind);
    mutex.name = plan.mutex.name;
    mutex.where = mutex_path;
    mutex.created_by_run = !preexisting.mutex;
    mutex.requested_mode = requested_mode(plan);
    observe_path(mutex_path, 0, mutex);
    objects.push_back(std::move(mutex));
    return objects;
}

} // namespace ipch
