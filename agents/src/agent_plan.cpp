#include "ipch/agent_plan.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace ipch {

using nlohmann::json;

std::string_view to_string(OpenMode mode) {
    switch (mode) {
    case OpenMode::create_only:
        return "create_only";
    case OpenMode::create_or_open:
        return "create_or_open";
    case OpenMode::open_existing:
        return "open_existing";
    }
    return "unknown";
}

std::string_view to_string(MutexKind kind) {
    switch (kind) {
    case MutexKind::named_mutex:
        return "named_mutex";
    case MutexKind::interprocess_mutex:
        return "interprocess_mutex";
    case MutexKind::robust_mutex:
        return "robust_mutex";
    case MutexKind::named_semaphore:
        return "named_semaphore";
    case MutexKind::file_lock:
        return "file_lock";
    case MutexKind::spin:
        return "spin";
    case MutexKind::none:
        return "none";
    }
    return "unknown";
}

std::string_view to_string(MappingKind kind) {
    switch (kind) {
    case MappingKind::shm:
        return "shm";
    case MappingKind::file:
        return "file";
    case MappingKind::xsi:
        return "xsi";
    }
    return "unknown";
}

std::string_view to_string(LogFormat format) {
    switch (format) {
    case LogFormat::binary:
        return "binary";
    case LogFormat::jsonl:
        return "jsonl";
    }
    return "unknown";
}

std::string_view to_string(CrashPoint point) {
    switch (point) {
    case CrashPoint::before_lock:
        return "before-lock";
    case CrashPoint::holding_lock:
        return "holding-lock";
    case CrashPoint::mid_write:
        return "mid-write";
    case CrashPoint::after_unlock:
        return "after-unlock";
    }
    return "unknown";
}

std::string_view to_string(FaultKind kind) {
    switch (kind) {
    case FaultKind::skip_lock:
        return "skip-lock";
    case FaultKind::early_release:
        return "early-release";
    case FaultKind::torn_write:
        return "torn-write";
    case FaultKind::stale_read:
        return "stale-read";
    case FaultKind::lost_increment:
        return "lost-increment";
    case FaultKind::double_unlock:
        return "double-unlock";
    case FaultKind::classic:
        return "classic";
    }
    return "unknown";
}

namespace {

// `values`: a C array or std::array of the enum's values.
template <typename Values>
auto enum_from(const std::string& text, const Values& values, const char* what) {
    for (const auto value : values)
        if (to_string(value) == text) return value;
    throw std::runtime_error(std::string("unknown ") + what + " '" + text + "'");
}

constexpr OpKind leaf_kinds[] = {
    OpKind::write,  OpKind::read,     OpKind::wait_for,   OpKind::hold,      OpKind::sleep,
    OpKind::open,   OpKind::close,    OpKind::remove,     OpKind::increment, OpKind::lock,
    OpKind::unlock, OpKind::try_lock, OpKind::timed_lock, OpKind::barrier,   OpKind::crash};
constexpr OpenMode open_modes[] = {OpenMode::create_only, OpenMode::create_or_open,
                                   OpenMode::open_existing};
constexpr LogFormat log_formats[] = {LogFormat::binary, LogFormat::jsonl};
constexpr CrashPoint crash_points[] = {CrashPoint::before_lock, CrashPoint::holding_lock,
                                       CrashPoint::mid_write, CrashPoint::after_unlock};

json op_to_json(const PlanOp& op) {
    json j{{"id", op.id}};
    if (op.is_repeat) {
        j["op"] = "repeat";
        if (op.count > 0)
            j["count"] = op.count;
        else
            j["duration_ns"] = op.duration_ns;
        json children = json::array();
        for (const PlanOp& child : op.ops)
            children.push_back(op_to_json(child));
        j["ops"] = std::move(children);
        return j;
    }
    j["op"] = std::string(to_string(op.kind));
    switch (op.kind) {
    case OpKind::write:
        if (op.size > 0) {
            j["size"] = op.size;
            j["pattern"] = op.pattern;
        } else {
            j["text"] = op.text;
        }
        break;
    case OpKind::read:
        if (op.expect_any_valid)
            j["expect_any_valid"] = true;
        else if (op.has_expect)
            j["expect"] = op.text;
        break;
    case OpKind::wait_for:
        if (op.from_ids.empty())
            j["text"] = op.text;
        else
            j["from_ids"] = op.from_ids;
        j["timeout_ns"] = op.duration_ns;
        break;
    case OpKind::hold:
        j["duration_ns"] = op.duration_ns;
        break;
    case OpKind::sleep:
        j["duration_ns"] = op.duration_ns;
        if (op.max_duration_ns > op.duration_ns) j["max_duration_ns"] = op.max_duration_ns;
        break;
    case OpKind::timed_lock:
        j["timeout_ns"] = op.duration_ns;
        break;
    case OpKind::open:
        j["mode"] = std::string(to_string(op.open_mode));
        break;
    case OpKind::barrier:
        j["barrier"] = op.barrier;
        break;
    case OpKind::crash:
        j["at"] = std::string(to_string(op.crash_at));
        if (!op.text.empty()) j["text"] = op.text; // mid-write: the message it half writes
        break;
    case OpKind::close:
    case OpKind::remove:
    case OpKind::increment:
    case OpKind::lock:
    case OpKind::unlock:
    case OpKind::try_lock:
        break;
    }
    return j;
}

json faults_to_json(const std::vector<FaultSpec>& faults) {
    json list = json::array();
    for (const FaultSpec& fault : faults)
        list.push_back({{"kind", to_string(fault.kind)}, {"probability", fault.probability}});
    return list;
}

std::vector<FaultSpec> faults_from_json(const json& list) {
    std::vector<FaultSpec> faults;
    for (const json& item : list) {
        FaultSpec fault;
        fault.kind = enum_from(item.at("kind").get<std::string>(), fault_kinds, "fault");
        fault.probability = item.value("probability", 1.0);
        if (!(fault.probability >= 0 && fault.probability <= 1))
            throw std::runtime_error("fault '" + std::string(to_string(fault.kind)) +
                                     "' has probability " + std::to_string(fault.probability) +
                                     "; expected a number from 0 to 1");
        faults.push_back(fault);
    }
    return faults;
}

PlanOp op_from_json(const json& j) {
    PlanOp op;
    op.id = j.at("id").get<std::uint32_t>();
    const std::string name = j.at("op").get<std::string>();
    if (name == "repeat") {
        op.is_repeat = true;
        op.count = j.value("count", std::uint64_t{0});
        if (op.count == 0) op.duration_ns = j.at("duration_ns").get<std::uint64_t>();
        for (const json& child : j.at("ops"))
            op.ops.push_back(op_from_json(child));
        return op;
    }
    op.kind = enum_from(name, leaf_kinds, "op");
    switch (op.kind) {
    case OpKind::write:
        if (j.contains("size")) {
            op.size = j.at("size").get<std::uint64_t>();
            op.pattern = j.at("pattern").get<std::string>();
        } else {
            op.text = j.at("text").get<std::string>();
        }
        break;
    case OpKind::read:
        if (j.value("expect_any_valid", false)) {
            op.has_expect = true;
            op.expect_any_valid = true;
        } else if (j.contains("expect")) {
            op.has_expect = true;
            op.text = j.at("expect").get<std::string>();
        }
        break;
    case OpKind::wait_for:
        if (j.contains("from_ids"))
            op.from_ids = j.at("from_ids").get<std::vector<std::uint32_t>>();
        else
            op.text = j.at("text").get<std::string>();
        op.duration_ns = j.at("timeout_ns").get<std::uint64_t>();
        break;
    case OpKind::hold:
        op.duration_ns = j.at("duration_ns").get<std::uint64_t>();
        break;
    case OpKind::sleep:
        op.duration_ns = j.at("duration_ns").get<std::uint64_t>();
        op.max_duration_ns = j.value("max_duration_ns", op.duration_ns);
        break;
    case OpKind::timed_lock:
        op.duration_ns = j.at("timeout_ns").get<std::uint64_t>();
        break;
    case OpKind::open:
        op.open_mode = enum_from(j.at("mode").get<std::string>(), open_modes, "open mode");
        break;
    case OpKind::barrier:
        op.barrier = j.at("barrier").get<std::uint32_t>();
        break;
    case OpKind::crash:
        op.crash_at = enum_from(j.at("at").get<std::string>(), crash_points, "crash point");
        op.text = j.value("text", std::string());
        break;
    case OpKind::close:
    case OpKind::remove:
    case OpKind::increment:
    case OpKind::lock:
    case OpKind::unlock:
    case OpKind::try_lock:
        break;
    }
    return op;
}

} // namespace

std::string expand_template(const std::string& text, const AgentPlan& plan, std::uint64_t seq) {
    if (text.find('{') == std::string::npos) return text;
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '{') {
            const std::size_t close = text.find('}', i);
            if (close != std::string::npos) {
                const std::string_view key(text.data() + i + 1, close - i - 1);
                bool known = true;
                if (key == "agent")
                    out += plan.agent_name;
                else if (key == "group")
                    out += plan.group;
                else if (key == "id")
                    out += std::to_string(plan.agent_id);
                else if (key == "seq")
                    out += std::to_string(seq);
                else if (key == "run")
                    out += plan.run_id;
                else
                    known = false;
                if (known) {
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

std::uint32_t owner_token(const AgentPlan& plan) {
    // FNV-1a: any stable spread of the run id's bytes will do.
    std::uint32_t hash = 2166136261u;
    for (const unsigned char c : plan.run_id)
        hash = (hash ^ c) * 16777619u;
    const std::uint32_t salt = (hash ^ (hash >> 16)) & 0xffffu;
    return ((salt == 0 ? 1u : salt) << 16) | (plan.agent_id & 0xffffu);
}

std::string lock_file_path(const std::string& mutex_name) {
    return "/dev/shm/" + mutex_name;
}

std::string mutex_object_path(MutexKind kind, const std::string& mutex_name) {
    switch (kind) {
    case MutexKind::named_mutex:
    case MutexKind::named_semaphore:
        return "/dev/shm/sem." + mutex_name;
    case MutexKind::file_lock:
        return lock_file_path(mutex_name);
    case MutexKind::interprocess_mutex: // in the mapping
    case MutexKind::robust_mutex:
    case MutexKind::spin:
    case MutexKind::none:
        return "";
    }
    return "";
}

std::string xsi_key_text(std::int32_t key) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(key));
    return text;
}

std::string mapping_file_name(const std::string& mapping_name) {
    return mapping_name + ".mapping";
}

std::int32_t xsi_key_for(const std::string& mapping_name) {
    std::uint32_t hash = 2166136261u;
    for (const unsigned char c : mapping_name)
        hash = (hash ^ c) * 16777619u;
    // Never 0 (IPC_PRIVATE): the top byte is 0x49.
    return static_cast<std::int32_t>(0x49000000u | (hash & 0xffffffu));
}

bool lives_in_mapping(MutexKind kind) {
    return kind == MutexKind::interprocess_mutex || kind == MutexKind::robust_mutex ||
           kind == MutexKind::spin;
}

bool has_named_object(MutexKind kind) {
    return kind == MutexKind::named_mutex || kind == MutexKind::named_semaphore ||
           kind == MutexKind::file_lock;
}

std::string_view to_string(TimingMode mode) {
    return mode == TimingMode::sampled ? "sampled" : "full";
}

std::string_view to_string(ClockChoice clock) {
    return clock == ClockChoice::monotonic ? "monotonic" : "auto";
}

namespace {

constexpr std::array<TimingMode, 2> timing_modes{TimingMode::full, TimingMode::sampled};
constexpr std::array<ClockChoice, 2> clock_choices{ClockChoice::automatic, ClockChoice::monotonic};

void timing_from_json(const json& timing, AgentPlan& plan) {
    plan.timing = enum_from(timing.at("mode").get<std::string>(), timing_modes, "timing mode");
    plan.sample_every = timing.value("sample_every", 1u);
    if (plan.sample_every < 1) throw std::runtime_error("timing.sample_every must be at least 1");
    plan.clock = enum_from(timing.value("clock", std::string("auto")), clock_choices, "clock");
}

} // namespace

std::string plan_to_json(const AgentPlan& plan) {
    json ops = json::array();
    for (const PlanOp& op : plan.ops)
        ops.push_back(op_to_json(op));
    json log{{"path", plan.log_path}, {"capacity", plan.log_capacity}};
    // Only an external agent's plan names the format: the built-in agent's plan stays as it was.
    if (plan.log_format != LogFormat::binary) log["format"] = to_string(plan.log_format);
    json barriers = json::array();
    for (const BarrierPlan& barrier : plan.barriers)
        barriers.push_back({{"name", barrier.name}, {"participants", barrier.participants}});
    json mapping{{"kind", to_string(plan.mapping_kind)},
                 {"name", plan.mapping_name},
                 {"size", plan.mapping_size},
                 {"lock_bytes", plan.lock_bytes},
                 {"open", to_string(plan.open_mode)}};
    // Only the kinds that need them: a shm plan stays as it was.
    if (plan.mapping_kind == MappingKind::file) mapping["path"] = plan.mapping_path;
    if (plan.mapping_kind == MappingKind::xsi) mapping["key"] = plan.mapping_key;
    json j{
        {"format", "ipch-agent-plan"},
        {"version", plan.version},
        {"run_id", plan.run_id},
        {"agent",
         {{"id", plan.agent_id},
          {"name", plan.agent_name},
          {"group", plan.group},
          {"role", plan.role},
          {"index", plan.agent_index},
          {"seed", plan.seed}}},
        {"mapping", std::move(mapping)},
        {"mutex", {{"kind", to_string(plan.mutex_kind)}, {"name", plan.mutex_name}}},
        {"permissions", plan.permissions},
        {"control",
         {{"name", plan.control_name},
          {"agent_count", plan.agent_count},
          {"start_timeout_ns", plan.start_timeout_ns}}},
        {"barriers", std::move(barriers)},
        {"log", std::move(log)},
        {"ops", std::move(ops)},
    };
    // Only a plan with faults names them: every other plan stays as it was.
    if (!plan.faults.empty()) j["faults"] = faults_to_json(plan.faults);
    // Likewise timing: only a plan that is not full and auto names it.
    if (plan.timing != TimingMode::full || plan.clock != ClockChoice::automatic)
        j["timing"] = {{"mode", to_string(plan.timing)},
                       {"sample_every", plan.sample_every},
                       {"clock", to_string(plan.clock)}};
    return j.dump(2) + "\n";
}

AgentPlan plan_from_json(const std::string& text) {
    try {
        const json j = json::parse(text);
        if (j.at("format").get<std::string>() != "ipch-agent-plan")
            throw std::runtime_error("not an ipch agent plan (format is not 'ipch-agent-plan')");
        AgentPlan plan;
        plan.version = j.at("version").get<int>();
        if (plan.version != agent_plan_version)
            throw std::runtime_error("plan version " + std::to_string(plan.version) +
                                     " is not supported; this agent reads version " +
                                     std::to_string(agent_plan_version));
        plan.run_id = j.at("run_id").get<std::string>();
        const json& agent = j.at("agent");
        plan.agent_id = agent.at("id").get<std::uint32_t>();
        plan.agent_name = agent.at("name").get<std::string>();
        plan.group = agent.at("group").get<std::string>();
        plan.role = agent.at("role").get<std::string>();
        plan.agent_index = agent.at("index").get<std::uint32_t>();
        plan.seed = agent.at("seed").get<std::uint64_t>();
        const json& mapping = j.at("mapping");
        plan.mapping_kind =
            enum_from(mapping.at("kind").get<std::string>(), all_mapping_kinds, "mapping kind");
        plan.mapping_name = mapping.at("name").get<std::string>();
        if (plan.mapping_kind == MappingKind::file)
            plan.mapping_path = mapping.at("path").get<std::string>();
        if (plan.mapping_kind == MappingKind::xsi)
            plan.mapping_key = mapping.at("key").get<std::int32_t>();
        plan.mapping_size = mapping.at("size").get<std::uint64_t>();
        plan.lock_bytes = mapping.at("lock_bytes").get<std::uint64_t>();
        plan.open_mode = enum_from(mapping.at("open").get<std::string>(), open_modes, "open mode");
        const json& mutex = j.at("mutex");
        plan.mutex_kind =
            enum_from(mutex.at("kind").get<std::string>(), all_mutex_kinds, "mutex kind");
        plan.mutex_name = mutex.at("name").get<std::string>();
        plan.permissions = j.at("permissions").get<std::uint32_t>();
        const json& control = j.at("control");
        plan.control_name = control.at("name").get<std::string>();
        plan.agent_count = control.at("agent_count").get<std::uint32_t>();
        plan.start_timeout_ns = control.at("start_timeout_ns").get<std::uint64_t>();
        for (const json& barrier : j.at("barriers"))
            plan.barriers.push_back(
                BarrierPlan{barrier.at("name").get<std::string>(),
                            barrier.at("participants").get<std::vector<std::uint32_t>>()});
        const json& log = j.at("log");
        plan.log_path = log.at("path").get<std::string>();
        plan.log_capacity = log.at("capacity").get<std::uint64_t>();
        if (log.contains("format"))
            plan.log_format =
                enum_from(log.at("format").get<std::string>(), log_formats, "log format");
        if (j.contains("faults")) plan.faults = faults_from_json(j.at("faults"));
        if (j.contains("timing")) timing_from_json(j.at("timing"), plan);
        for (const json& op : j.at("ops"))
            plan.ops.push_back(op_from_json(op));
        return plan;
    } catch (const json::exception& e) {
        throw std::runtime_error(std::string("invalid plan: ") + e.what());
    }
}

} // namespace ipch
