// A read-only view of the run's mapping while its agents run: the owner word in its header says
// which agent is inside the critical section (chaos aims at it; a timeout's forensics name it).
#pragma once

#include "plan.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace ipch {

// The index of the plan's agent whose owner_token() `word` holds, or nullopt (0: nobody; or a
// word that is no agent's of this run).
std::optional<std::size_t> agent_of_owner_word(const Plan& plan, std::uint32_t word);

class MappingPeek {
  public:
    explicit MappingPeek(const Plan& plan) : plan_(&plan) {}
    MappingPeek(const MappingPeek&) = delete;
    MappingPeek& operator=(const MappingPeek&) = delete;
    ~MappingPeek() { close(); }

    // The owner word as it reads now (0: nobody inside), or nullopt while the mapping cannot be
    // read (not created yet, removed, too small). Maps the mapping on first success.
    std::optional<std::uint32_t> owner_word();

    // The index of the agent whose owner_token() the word holds (agent_of_owner_word).
    std::optional<std::size_t> owner_agent(std::uint32_t word) const;

    // Unmaps: an xsi segment stays in the system while it is attached, so this comes before the
    // run removes its objects.
    void close();

  private:
    bool map();

    const Plan* plan_;
    const unsigned char* bytes_ = nullptr;
    std::size_t size_ = 0;
    bool xsi_ = false;
};

} // namespace ipch
