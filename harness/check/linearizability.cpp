// The search behind check_operations. Ops are numbered by call (their id); every op has a call
// entry and a return entry in one list sorted by time, calls before returns at the same instant
// (two ops that share an instant may go in either order: clock granularity never makes a
// violation). Walking the list from its head, a call entry is an op that may take effect next:
// if the model accepts it and the configuration it leads to is new, both its entries are lifted
// out and the walk restarts at the head. Reaching a return entry means that op can no longer be
// placed: undo the last op linearized and try the entry after it. The history is linearizable
// when the list is empty, and not when there is nothing left to undo.
#include "check/linearizability.hpp"

#include <algorithm>
#include <bit>
#include <cassert>

namespace ipch::lin {

namespace {

std::uint64_t mix(std::uint64_t x) {
    // SplitMix64's finaliser: spreads every input bit over the word.
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

struct RegisterModel {
    struct State {
        bool known = true; // false: nothing written or read yet, and Initial::any
        Value value;
        bool operator==(const State&) const = default;
    };
    State initial;

    explicit RegisterModel(Initial start) : initial{start == Initial::empty, Value{}} {}

    static std::optional<State> step(const State& state, const Operation& op) {
        if (op.action == Action::write) return State{true, op.value};
        if (op.ret == never) return state; // a read that never returned saw nothing
        if (!state.known) return State{true, op.value};
        if (op.value == state.value) return state;
        return std::nullopt;
    }
    static std::uint64_t hash(const State& state) {
        return mix(
            mix(mix(state.value.writer + (state.known ? 0 : 1ull << 40)) ^ state.value.writer_seq) ^
            state.value.checksum);
    }
};

struct MutexModel {
    struct State {
        std::uint64_t holder = 0; // client + 1; 0: free
        bool operator==(const State&) const = default;
    };
    State initial;

    static std::optional<State> step(const State& state, const Operation& op) {
        const std::uint64_t me = std::uint64_t{op.client} + 1;
        if (op.action == Action::acquire && state.holder == 0) return State{me};
        if (op.action == Action::release && state.holder == me) return State{0};
        return std::nullopt;
    }
    static std::uint64_t hash(const State& state) { return mix(state.holder); }
};

// The ops linearized so far: a bitset by id, its hash (a XOR of one random word per member, so
// adding or removing an op costs one XOR), and `low`, the lowest id not in it.
class Linearized {
  public:
    explicit Linearized(std::size_t n) : words_((n + 64) / 64, 0), n_(n) {}

    bool has(std::size_t id) const { return (words_[id / 64] >> (id % 64)) & 1u; }
    void add(std::size_t id) {
        words_[id / 64] |= std::uint64_t{1} << (id % 64);
        hash_ ^= mix(id);
        if (id == low_) advance_low();
    }
    void remove(std::size_t id) {
        words_[id / 64] &= ~(std::uint64_t{1} << (id % 64));
        hash_ ^= mix(id);
        low_ = std::min(low_, id);
    }
    std::uint64_t hash() const { return hash_; }
    std::size_t low() const { return low_; }

    // The members in (low, last], packed from bit 0 with trailing zero words dropped.
    void window(std::size_t last, std::vector<std::uint64_t>& packed) const {
        packed.clear();
        for (std::size_t from = low_ + 1; from <= last && from < n_; from += 64) {
            const std::size_t word = from / 64, shift = from % 64;
            std::uint64_t bits = words_[word] >> shift;
            if (shift != 0 && word + 1 < words_.size()) bits |= words_[word + 1] << (64 - shift);
            const std::size_t count = std::min<std::size_t>(64, last + 1 - from);
            if (count < 64) bits &= (std::uint64_t{1} << count) - 1;
            packed.push_back(bits);
        }
        while (!packed.empty() && packed.back() == 0)
            packed.pop_back();
    }

  private:
    // Past the run of members starting at low, a word at a time (the word holding bit n is
    // allocated and that bit is never set, so the scan stops there).
    void advance_low() {
        while (low_ < n_) {
            const std::uint64_t absent = ~words_[low_ / 64] >> (low_ % 64);
            if (absent != 0) {
                low_ += static_cast<std::size_t>(std::countr_zero(absent));
                break;
            }
            low_ = (low_ / 64 + 1) * 64;
        }
        low_ = std::min(low_, n_);
    }

    std::vector<std::uint64_t> words_;
    std::size_t n_;
    std::uint64_t hash_ = 0;
    std::size_t low_ = 0;
};

// The configurations the search has been in. Every op below `low` is linearized; the ones above
// it lie in low's window: an op is linearized only while its call entry comes before the first
// return entry left in the list, so each one's call precedes low's return. (low, window, state)
// is therefore exact and small: no false hit can prune a branch unexplored. Configurations live
// in one array and their windows in another, found through an open-addressing table of indices:
// millions of them cost a few large blocks, not millions of small ones.
template <class State>
class Cache {
  public:
    // Adds the configuration; false when it was there already.
    bool insert(std::uint64_t hash, std::size_t low, const std::vector<std::uint64_t>& window,
                const State& state) {
        if (2 * (stored_.size() + 1) > slots_.size()) grow();
        std::size_t slot = hash & (slots_.size() - 1);
        for (; slots_[slot] != 0; slot = (slot + 1) & (slots_.size() - 1))
            if (same(stored_[slots_[slot] - 1], hash, low, window, state)) return false;
        stored_.push_back({hash, static_cast<std::uint32_t>(low),
                           static_cast<std::uint32_t>(words_.size()),
                           static_cast<std::uint32_t>(window.size()), state});
        words_.insert(words_.end(), window.begin(), window.end());
        slots_[slot] = static_cast<std::uint32_t>(stored_.size());
        return true;
    }
    std::size_t size() const { return stored_.size(); }
    std::size_t bytes() const {
        return stored_.capacity() * sizeof(Stored) + words_.capacity() * 8 + slots_.size() * 4;
    }

  private:
    struct Stored {
        std::uint64_t hash;
        std::uint32_t low;
        std::uint32_t offset; // of its window in words_
        std::uint32_t length;
        State state;
    };

    bool same(const Stored& stored, std::uint64_t hash, std::size_t low,
              const std::vector<std::uint64_t>& window, const State& state) const {
        return stored.hash == hash && stored.low == low && stored.length == window.size() &&
               stored.state == state &&
               std::equal(window.begin(), window.end(), words_.begin() + stored.offset);
    }

    void grow() {
        slots_.assign(std::max<std::size_t>(1024, slots_.size() * 2), 0);
        for (std::uint32_t i = 0; i < stored_.size(); ++i) {
            std::size_t slot = stored_[i].hash & (slots_.size() - 1);
            while (slots_[slot] != 0)
                slot = (slot + 1) & (slots_.size() - 1);
            slots_[slot] = i + 1;
        }
    }

    std::vector<Stored> stored_;
    std::vector<std::uint64_t> words_;
    std::vector<std::uint32_t> slots_; // index + 1 into stored_; 0: empty
};

// The call and return entries in time order, as arrays: node 0 is the list's head.
struct EntryList {
    static constexpr std::uint32_t end = UINT32_MAX;
    std::vector<std::uint32_t> next, prev, op, match; // match: a call's return node, else `end`

    bool is_call(std::uint32_t node) const { return match[node] != end; }

    void lift(std::uint32_t call) {
        unlink(call);
        unlink(match[call]);
    }
    void unlift(std::uint32_t call) {
        relink(match[call]);
        relink(call);
    }

  private:
    void unlink(std::uint32_t node) {
        next[prev[node]] = next[node];
        if (next[node] != end) prev[next[node]] = prev[node];
    }
    void relink(std::uint32_t node) {
        next[prev[node]] = node;
        if (next[node] != end) prev[next[node]] = node;
    }
};

struct Entry {
    std::uint64_t time;
    bool is_return;
    std::uint32_t id;
    bool operator<(const Entry& other) const {
        if (time != other.time) return time < other.time;
        if (is_return != other.is_return) return !is_return; // calls first: concurrent
        return id < other.id;
    }
};

template <class Model>
class Search {
    using State = typename Model::State;

  public:
    Search(const Model& model, std::span<const Operation> ops, const Options& options)
        : model_(model), options_(options), linearized_(ops.size()) {
        order_.resize(ops.size());
        for (std::size_t i = 0; i < ops.size(); ++i)
            order_[i] = i;
        std::stable_sort(order_.begin(), order_.end(),
                         [&](std::size_t x, std::size_t y) { return ops[x].call < ops[y].call; });
        for (const std::size_t index : order_)
            ops_.push_back(ops[index]);
        build_list();
    }

    Result run() {
        const auto deadline = std::chrono::steady_clock::now() + options_.budget;
        Result result;
        State state = model_.initial;
        std::uint32_t node = list_.next[0];
        while (list_.next[0] != EntryList::end) {
            if (++result.steps % 256 == 0 && out_of_budget(deadline, result))
                return finish(result, Answer::unknown);
            const std::uint32_t id = list_.op[node];
            if (list_.is_call(node)) {
                std::optional<State> after = model_.step(state, ops_[id]);
                if (after && remember(id, *after)) {
                    stack_.push_back({node, state});
                    state = *after;
                    list_.lift(node);
                    node = list_.next[0];
                } else {
                    node = list_.next[node];
                }
                continue;
            }
            // A return entry: op `id` cannot be placed after what is linearized now.
            if (!unplaced_ || stack_.size() > longest_.size()) {
                longest_.clear();
                for (const Frame& frame : stack_)
                    longest_.push_back(list_.op[frame.node]);
                unplaced_ = id;
            }
            if (stack_.empty()) return finish(result, Answer::illegal);
            const Frame top = stack_.back();
            stack_.pop_back();
            state = top.state;
            linearized_.remove(list_.op[top.node]);
            list_.unlift(top.node);
            node = list_.next[top.node];
        }
        longest_.clear();
        for (const Frame& frame : stack_)
            longest_.push_back(list_.op[frame.node]);
        unplaced_.reset();
        return finish(result, Answer::ok);
    }

  private:
    struct Frame {
        std::uint32_t node;
        State state; // before the op
    };

    void build_list() {
        const std::size_t n = ops_.size();
        std::vector<Entry> entries;
        entries.reserve(2 * n);
        for (std::uint32_t id = 0; id < n; ++id) {
            const Operation& op = ops_[id];
            entries.push_back({op.call, false, id});
            entries.push_back({std::max(op.call, op.ret), true, id});
        }
        std::sort(entries.begin(), entries.end());
        const std::size_t nodes = entries.size() + 1;
        list_.next.resize(nodes);
        list_.prev.resize(nodes);
        list_.op.assign(nodes, EntryList::end);
        list_.match.assign(nodes, EntryList::end);
        std::vector<std::uint32_t> return_node(n), return_position(n);
        std::vector<std::uint32_t> call_node(n);
        for (std::uint32_t node = 0; node < nodes; ++node) {
            list_.next[node] = node + 1 < nodes ? node + 1 : EntryList::end;
            list_.prev[node] = node == 0 ? EntryList::end : node - 1;
        }
        for (std::uint32_t position = 0; position < entries.size(); ++position) {
            const Entry& entry = entries[position];
            const std::uint32_t node = position + 1;
            list_.op[node] = entry.id;
            (entry.is_return ? return_node : call_node)[entry.id] = node;
        }
        for (std::uint32_t id = 0; id < n; ++id)
            list_.match[call_node[id]] = return_node[id];
        // Ids follow call order, so the calls before op i's return are the ids below the first
        // call node after it: reach[i] is the last of them.
        reach_.resize(n);
        for (std::uint32_t id = 0; id < n; ++id) {
            const auto after =
                std::upper_bound(call_node.begin(), call_node.end(), return_node[id]);
            reach_[id] = static_cast<std::size_t>(after - call_node.begin()) - 1;
        }
    }

    // Adds op `id` to the linearized set if the configuration it leads to is new.
    bool remember(std::uint32_t id, const State& after) {
        linearized_.add(id);
        const std::size_t low = linearized_.low();
        window_.clear();
        if (low < reach_.size()) linearized_.window(reach_[low], window_);
        if (cache_.insert(linearized_.hash() ^ Model::hash(after), low, window_, after))
            return true;
        linearized_.remove(id);
        return false;
    }

    bool out_of_budget(std::chrono::steady_clock::time_point deadline, Result& result) const {
        if (cache_.bytes() > options_.max_cache_bytes) {
            result.out_of_memory = true;
            return true;
        }
        return std::chrono::steady_clock::now() >= deadline;
    }

    // Ids back to the caller's indices.
    Result finish(Result& result, Answer answer) const {
        result.answer = answer;
        result.states = cache_.size();
        if (answer == Answer::unknown) return result;
        for (const std::uint32_t id : longest_)
            result.longest_prefix.push_back(order_[id]);
        if (answer == Answer::illegal && unplaced_) result.unplaced = order_[*unplaced_];
        return result;
    }

    Model model_;
    const Options& options_;
    std::vector<std::size_t> order_; // id -> the caller's index
    std::vector<Operation> ops_;     // by id
    EntryList list_;
    std::vector<std::size_t> reach_;
    Linearized linearized_;
    std::vector<Frame> stack_;
    Cache<State> cache_;
    std::vector<std::uint64_t> window_; // scratch for remember()
    std::vector<std::uint32_t> longest_;
    std::optional<std::uint32_t> unplaced_;
};

} // namespace

Result check_operations(Model model, std::span<const Operation> ops, const Options& options) {
    if (model == Model::mutex) return Search<MutexModel>(MutexModel{}, ops, options).run();
    return Search<RegisterModel>(RegisterModel(options.initial), ops, options).run();
}

} // namespace ipch::lin
