// One pair of functions per mapping kind: open (or create, and then size) the object as the plan
// says and map it whole; remove its name. open_mapping.cpp picks one by the plan's kind.
#pragma once

#include "backend.hpp"

#include <boost/interprocess/mapped_region.hpp>
#include <cstdint>

namespace ipch {

// The object as one open found it, mapped whole.
struct MappedObject {
    boost::interprocess::mapped_region region;
    bool created = false;       // this open created it
    std::uint64_t identity = 0; // the inode of an shm object or file; the shmid of an xsi segment
};

MappedObject map_shm(const AgentPlan& plan, std::size_t lock_bytes);
MappedObject map_file(const AgentPlan& plan, std::size_t lock_bytes);
MappedObject map_xsi(const AgentPlan& plan, std::size_t lock_bytes);

// Each returns 0, or the errno (ENOENT: no such object).
int remove_shm(const AgentPlan& plan);
int remove_file(const AgentPlan& plan);
int remove_xsi(const AgentPlan& plan);

// A creator sizes the object it made; so does a create-or-open that finds it at size 0 (another
// creator has not sized it yet: sizing twice to the same size is harmless and zero-fills).
bool sizes_it(const AgentPlan& plan, std::uint64_t size);

// Throws OpenError when `size` bytes hold no header and payload after `lock_bytes`. `what`
// names the object ("shared memory 'NAME'").
void check_mapping_size(const std::string& what, std::uint64_t size, std::size_t lock_bytes);

// Whether a mapping this open created is not zero-filled: its header, the first MiB of payload,
// or its guard hold something while no critical section has run in it (stamp and owner 0).
bool found_not_zero(const MappingHeader& header, const char* payload, const MappingLayout& layout);

// The file of a `file` mapping: its plan path, from the plan's folder.
std::string mapping_file_path(const AgentPlan& plan);

} // namespace ipch
