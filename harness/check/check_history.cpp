// The checker's one entry point: every property this version decides, in catalog order.
#include "check/check_properties.hpp"
#include "check/detail.hpp"
#include "check/lock_order.hpp"

#include <algorithm>
#include <cassert>
#include <memory>
#include <span>
#include <vector>

namespace ipch {

std::string_view to_string(Verdict verdict) {
    switch (verdict) {
    case Verdict::pass:
        return "pass";
    case Verdict::fail:
        return "fail";
    case Verdict::not_applicable:
        return "not-applicable";
    case Verdict::unknown:
        return "unknown";
    case Verdict::observed:
        return "observed";
    }
    return "unknown";
}

namespace {

struct Checker {
    std::string_view id;
    check::MakeCheck make;
};

constexpr Checker checkers[] = {
    {"mutual-exclusion", check::mutual_exclusion},
    {"no-torn-read", check::no_torn_read},
    {"no-lost-update", check::no_lost_update},
    {"read-latest", check::read_latest},
    {"writer-order", check::writer_order},
    {"delivery", check::delivery},
    {"create-open-race", check::create_open_race},
    {"abandoned-lock", check::abandoned_lock},
    {"open-missing", check::open_missing},
    {"capacity", check::capacity},
    {"persistence", check::persistence},
    {"permissions", check::permissions},
    {"timed-lock", check::timed_lock},
    {"progress", check::progress},
    {"fairness", check::fairness},
};

check::MakeCheck checker_for(std::string_view id) {
    for (const Checker& checker : checkers)
        if (checker.id == id) return checker.make;
    return nullptr;
}

// 256 records are 24 KiB: they stay in a core's L1 data cache (48 KiB here) while every
// property reads them, so a history of millions of events comes from memory once, and from L2
// not once per property either (2048 events, 192 KiB, missed L1 four times as often).
constexpr std::size_t chunk_events = 256;

// Asks for the next chunk's cache lines a share at a time, a share before each check reads the
// current chunk: by the time the checks come to it, it is in cache, and the first of them no
// longer waits for memory (the logs have left the cache since they were read).
class ChunkPrefetch {
  public:
    ChunkPrefetch(std::span<const EventRecord> next, std::size_t shares)
        : next_(reinterpret_cast<const char*>(next.data())), bytes_(next.size_bytes()),
          share_((next.size_bytes() + shares - 1) / shares) {}

    void share() {
        const std::size_t end = std::min(bytes_, done_ + share_);
        for (; done_ < end; done_ += 64)
            __builtin_prefetch(next_ + done_, 0, 1);
    }

  private:
    const char* next_;
    std::size_t bytes_;
    std::size_t share_;
    std::size_t done_ = 0;
};

// The one pass every check takes part in, and what the lock order needs for its replay.
void scan_history(const History& history,
                  const std::vector<std::unique_ptr<check::PropertyCheck>>& checks,
                  check::LockOrder& lock_order) {
    for (std::size_t a = 0; a < history.agents.size(); ++a) {
        const std::span<const EventRecord> events = history.agents[a].events;
        std::size_t first = 0;
        do {
            const std::size_t count = std::min(chunk_events, events.size() - first);
            const std::span<const EventRecord> chunk = events.subspan(first, count);
            const std::size_t after = first + count;
            ChunkPrefetch prefetch(
                events.subspan(after, std::min(chunk_events, events.size() - after)),
                checks.size());
            const check::ChunkTraits traits(chunk);
            for (const auto& check : checks) {
                prefetch.share();
                if (!check->skips(traits)) check->scan(a, first, chunk);
            }
            lock_order.scan(a, first, chunk);
            first = after;
        } while (first < events.size());
    }
    for (const auto& check : checks)
        check->scanned(lock_order.unstamped_sections());
}

// The second pass, in lock order, for the checks that want it, when the history has one: their
// runs follow it together, in one loop.
void replay_lock_order(const std::vector<std::unique_ptr<check::PropertyCheck>>& checks,
                       const check::LockOrder& lock_order) {
    std::vector<check::PropertyCheck*> wanting;
    for (const auto& check : checks)
        if (check->wants_lock_order()) wanting.push_back(check.get());
    if (wanting.empty() || !lock_order.replayable()) return;
    check::LockOrderRuns runs;
    for (check::PropertyCheck* check : wanting)
        check->join(runs);
    lock_order.replay(runs);
    for (check::PropertyCheck* check : wanting)
        check->replayed();
}

// The checks of the properties `selected` says yes to, in catalog order.
template <class Selected>
std::vector<PropertyResult> check_selected(const History& history, const CheckOptions& options,
                                           Selected selected) {
    // Compact copies of events hold an agent's position in 20 bits (check/compact.hpp); a run
    // has at most max_agents (256).
    assert(history.agents.size() < (std::size_t{1} << 20) && "agent positions fit PackedRef");
    std::vector<std::unique_ptr<check::PropertyCheck>> checks;
    for (const PropertyInfo& info : property_catalog) {
        if (!info.checked || !selected(info.id)) continue;
        const check::MakeCheck make = checker_for(info.id);
        // The catalog marks a property checked only once its checker is in the table above.
        assert(make != nullptr && "a checked property has a checker");
        if (make == nullptr) continue;
        checks.push_back(make(history, options));
    }
    {
        check::LockOrder lock_order(history);
        scan_history(history, checks, lock_order);
        replay_lock_order(checks, lock_order);
    }
    std::vector<PropertyResult> results;
    for (auto& check : checks) {
        results.push_back(check->finish());
        check.reset(); // what it collected goes now, before the next one finishes
    }
    return results;
}

} // namespace

std::vector<PropertyResult> check_history(const History& history, const CheckOptions& options) {
    return check_selected(history, options, [](std::string_view) { return true; });
}

std::vector<PropertyResult> check::check_properties(const History& history,
                                                    std::span<const std::string_view> ids,
                                                    const CheckOptions& options) {
    return check_selected(history, options, [ids](std::string_view id) {
        return std::find(ids.begin(), ids.end(), id) != ids.end();
    });
}

} // namespace ipch
