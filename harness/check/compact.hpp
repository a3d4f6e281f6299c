// Compact copies of events, for the checks that must sort what they judge (a history whose lock
// order breaks), and the memory they live in. Nothing here knows a property.
#pragma once

#include "check/detail.hpp"

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace ipch::check {

// Zero-filled memory for the big compact arrays, straight from the kernel: pages never written
// cost nothing, so an array sized for the worst case is resident only as far as it is used, and
// huge pages (asked for, not required) cut the page faults of filling it. Throws std::bad_alloc.
void* map_zeroed(std::size_t bytes);
void unmap_zeroed(void* memory, std::size_t bytes);

template <class T>
class ZeroedArray {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                  "its memory is handed out as it comes from the kernel");

  public:
    explicit ZeroedArray(std::size_t size)
        : size_(size), data_(static_cast<T*>(map_zeroed(size * sizeof(T)))) {}
    ZeroedArray(ZeroedArray&& other) noexcept
        : size_(std::exchange(other.size_, 0)), data_(std::exchange(other.data_, nullptr)) {}
    ZeroedArray(const ZeroedArray&) = delete;
    ZeroedArray& operator=(const ZeroedArray&) = delete;
    ~ZeroedArray() { unmap_zeroed(data_, size_ * sizeof(T)); }
    T& operator[](std::size_t i) { return data_[i]; }
    const T& operator[](std::size_t i) const { return data_[i]; }
    T* data() { return data_; }
    const T* data() const { return data_; }
    std::size_t size() const { return size_; }

  private:
    std::size_t size_;
    T* data_;
};

// Items that a correct history gives each a key of its own, one after another (lock-order
// stamps, counter values), put in order without a sort: each goes to the slot its key names, so
// collecting them is the sorting. Only an item whose slot is taken or out of range (a shared
// stamp, a value read twice) is set aside; those are sorted and merged in at the end, so a
// broken history costs a sort of its anomalies, not of its millions of events.
template <class T>
class KeySlots {
  public:
    // Room for `capacity` items in all. The first item's key fixes the lowest slot's: up to
    // `lead` below it, for the items of other agents that come before it in lock order.
    KeySlots(std::size_t capacity, std::size_t lead)
        : lead_(std::min(lead, capacity)), slots_(capacity + lead_),
          filled_((capacity + lead_ + 63) / 64) {}

    void add(std::uint64_t key, const T& item) {
        if (count_ == 0) base_ = key - std::min<std::uint64_t>(key, lead_);
        ++count_;
        assert(count_ + lead_ <= slots_.size() && "the caller sized the slots for every item");
        if (key >= base_ && key - base_ < slots_.size()) {
            const auto slot = static_cast<std::size_t>(key - base_);
            std::uint64_t& word = filled_[slot / 64];
            const std::uint64_t bit = std::uint64_t{1} << (slot % 64);
            if ((word & bit) == 0) {
                word |= bit;
                slots_[slot] = item;
                low_ = std::min(low_, slot);
                high_ = std::max(high_, slot + 1);
                return;
            }
        }
        aside_.push_back(item);
    }

    std::size_t size() const { return count_; }

    // Every item, sorted by `less` (a strict total order that orders by key first), in the
    // slots' memory; call once, after the last add.
    template <class Less>
    std::span<T> sorted(Less less) {
        if (count_ == 0) return {};
        const std::size_t placed = count_ - aside_.size();
        if (placed != high_ - low_) { // holes: close them up, keeping key order
            std::size_t kept = low_;
            for (std::size_t slot = low_; slot < high_; ++slot)
                if ((filled_[slot / 64] >> (slot % 64)) & 1u) slots_[kept++] = slots_[slot];
        }
        // The first item's slot is at most `lead` up, and there are at most `capacity` items.
        T* const begin = slots_.data() + (placed == 0 ? 0 : low_);
        std::sort(aside_.begin(), aside_.end(), less);
        std::copy(aside_.begin(), aside_.end(), begin + placed);
        std::inplace_merge(begin, begin + placed, begin + count_, less);
        aside_ = std::vector<T>();
        return {begin, count_};
    }

  private:
    std::size_t lead_;
    ZeroedArray<T> slots_;
    ZeroedArray<std::uint64_t> filled_; // one bit per slot
    std::uint64_t base_ = 0;            // the key of slot 0
    std::size_t count_ = 0;
    std::size_t low_ = SIZE_MAX; // the filled slots lie in [low_, high_)
    std::size_t high_ = 0;
    std::vector<T> aside_;
};

// An EventRef in one word, for compact copies: 20 bits of agent position (runs have at most 256
// agents; agent ids are 16-bit, the owner word's low half) and 41 of index (2^41 events of 96
// bytes make a 200 TB log). The 3 bits left are the copy's own.
struct PackedRef {
    std::uint64_t index : 41;
    std::uint64_t agent : 20;
    std::uint64_t bits : 3;
};

inline PackedRef pack(std::size_t agent, std::size_t index, unsigned bits = 0) {
    return PackedRef{index, agent, bits};
}

inline EventRef unpack(PackedRef ref) {
    return {static_cast<std::size_t>(ref.agent), static_cast<std::size_t>(ref.index)};
}

} // namespace ipch::check
