#include "ipch/mapping_layout.hpp"
#include "run.hpp"
#include "run/agent_process.hpp"
#include "run/chaos.hpp"
#include "run/mapping_peek.hpp"
#include "run/name_lock.hpp"
#include "run/named_objects.hpp"
#include "run/observe_objects.hpp"
#include "run/report_hang.hpp"
#include "run/run_registry.hpp"
#include "run/supervisor.hpp"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <optional>

namespace ipch {

namespace {

using Clock = std::chrono::steady_clock;

// Locks the plan's fixed names for this run; a name another run holds is a refusal.
std::optional<std::string> lock_fixed_names(const Plan& plan, NameLock& mapping, NameLock& mutex) {
    std::string why;
    if (plan.mapping.fixed && !mapping.try_take(plan.mapping.name, why)) return why;
    if (plan.mutex.fixed && plan.mutex.name != plan.mapping.name &&
        !mutex.try_take(plan.mutex.name, why))
        return why;
    return std::nullopt;
}

// Without `reuse`, a fixed-name object that already exists is not ours to use. An xsi mapping
// of a run's own name that exists holds a key another program uses: never ours.
std::optional<std::string> refuse_existing_names(const Plan& plan, PreexistingObjects existing) {
    if (existing.mapping && !plan.mapping.fixed)
        return "the xsi key of the mapping '" + plan.mapping.name +
               "' is taken by another segment; run again (a new run id gives a new key), or "
               "remove it (" +
               mapping_removal_hint(plan) + ")";
    if (plan.reuse) return std::nullopt;
    if (existing.mapping)
        return "the mapping '" + plan.mapping.name +
               "' already exists (left by another program or an earlier run?); remove it (" +
               mapping_removal_hint(plan) + "), or set `reuse: true` in the scenario";
    if (existing.mutex)
        return "the mutex '" + plan.mutex.name +
               "' already exists (left by another program or an earlier run?); remove it (rm " +
               mutex_object_path(plan) + "), or set `reuse: true` in the scenario";
    return std::nullopt;
}

// A fixed name's lock file records the run that created the object ("created-by RUN"), until
// that run removes it. Holding the name's lock, a run that finds such a record finds the object
// of a run that died before its clean-up (a live one would hold the lock): a leftover, removed.
// An object without the record came from elsewhere (a real program, a `reuse` run's user) and
// is never touched.
constexpr std::string_view created_by = "created-by ";

bool created_by_dead_run(const NameLock& lock) {
    return lock.held() && lock.read_record().starts_with(created_by);
}

PreexistingObjects remove_dead_runs_objects(const Plan& plan, PreexistingObjects existing,
                                            const NameLock& mapping_lock,
                                            const NameLock& mutex_lock) {
    const NameLock& mutex_owner =
        plan.mutex.fixed && plan.mutex.name == plan.mapping.name ? mapping_lock : mutex_lock;
    const bool mapping =
        existing.mapping && plan.mapping.fixed && created_by_dead_run(mapping_lock);
    const bool mutex = existing.mutex && plan.mutex.fixed && created_by_dead_run(mutex_owner);
    if (!mapping && !mutex) return existing;
    RunObjectsGuard leftovers(plan, PreexistingObjects{!mapping, !mutex});
    leftovers.remove_all();
    return find_preexisting(plan);
}

void record_created(const Plan& plan, PreexistingObjects existing, NameLock& mapping_lock,
                    NameLock& mutex_lock, bool created) {
    const std::string record = created ? std::string(created_by) + plan.run_id + "\n" : "";
    if (plan.mapping.fixed && !existing.mapping) mapping_lock.write_record(record);
    if (plan.mutex.fixed && !existing.mutex) mutex_lock.write_record(record);
}

std::string first_line_of(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Agents that could not start their work (exit 2 or 3) make the run a harness error: what
// failed is the harness's set-up, not the system under test.
void report_agent_setup_failures(const Plan& plan, const std::vector<AgentProcess>& agents,
                                 RunReport& report) {
    for (const AgentProcess& agent : agents) {
        if (agent.end != AgentEnd::error_exit ||
            (agent.exit_code != agent_exit_bad_plan && agent.exit_code != agent_exit_setup_failed))
            continue;
        const auto stderr_file = plan.run_dir / (agent.plan->agent_name + ".stderr");
        report.errors.push_back("agent '" + agent.plan->agent_name + "' could not set up (exit " +
                                std::to_string(agent.exit_code) +
                                "): " + first_line_of(stderr_file));
        report.could_not_run = true;
    }
}

// Every agent's plan lists all of the run's barriers.
std::uint32_t barrier_count(const Plan& plan) {
    return plan.agents.empty() ? 0 : static_cast<std::uint32_t>(plan.agents[0].barriers.size());
}

// The state the agent reached itself: the harness overwrites `state` when it reaps an agent
// that did not set a terminal one (see supervisor.cpp), keeping the agent's own beside it.
AgentState own_state(const AgentSlot& slot) {
    const auto state = static_cast<AgentState>(slot.state.load(std::memory_order_acquire));
    if (state != AgentState::crashed) return state;
    return static_cast<AgentState>(slot.state_before_end.load(std::memory_order_acquire));
}

// An external agent's JSON lines, or ipc-agent's binary log. An external agent that exits 0
// must have said so in its event file too: without its status line, the file was cut short (or
// the agent skipped the protocol's end), and its history cannot be taken as whole.
AgentHistory read_agent_events(const Plan& plan, const AgentProcess& agent) {
    const std::string log = (plan.run_dir / agent.plan->log_path).string();
    if (agent.plan->log_format != LogFormat::jsonl)
        return read_agent_log(log, agent.plan->agent_id);
    AgentHistory history = read_agent_jsonl(log, agent.plan->agent_id);
    if (agent.end == AgentEnd::finished && history.log_damage.empty() &&
        history.log_status != LogStatus::finished)
        history.log_damage = "the agent exited 0, but its event file does not end with "
                             "{\"status\": \"finished\"}";
    return history;
}

void add_open_existing_ops(const std::vector<PlanOp>& ops, std::vector<std::uint32_t>& ids) {
    for (const PlanOp& op : ops) {
        if (!op.is_repeat && op.kind == OpKind::open && op.open_mode == OpenMode::open_existing)
            ids.push_back(op.id);
        add_open_existing_ops(op.ops, ids);
    }
}

// The op ids of an agent's opens in open_existing mode: its open at start (op 0) when its own
// mode is, and every open op that asks for it.
std::vector<std::uint32_t> open_existing_ops(const AgentPlan& agent) {
    std::vector<std::uint32_t> ids;
    if (agent.open_mode == OpenMode::open_existing) ids.push_back(0);
    add_open_existing_ops(agent.ops, ids);
    return ids;
}

History read_history(const Plan& plan, const std::vector<AgentProcess>& agents,
                     const ControlBlock& block) {
    History history;
    for (const AgentProcess& agent : agents) {
        const AgentSlot& slot = block.slots[agent.plan->agent_index];
        AgentHistory h = read_agent_events(plan, agent);
        h.name = agent.plan->agent_name;
        h.group = agent.plan->group;
        h.end = agent.end;
        h.exit_code = agent.exit_code;
        h.signal = agent.signal;
        h.op_labels = op_labels(*agent.plan);
        h.open_existing_ops = open_existing_ops(*agent.plan);
        const AgentState state = own_state(slot);
        h.released = state == AgentState::running || state == AgentState::done ||
                     (state == AgentState::failed && !h.events.empty() &&
                      h.events.back().kind != OpKind::open);
        h.current_op = slot.op_id.load(std::memory_order_relaxed);
        history.agents.push_back(std::move(h));
    }
    return history;
}

// An agent the chaos SIGKILLed crashed by the harness's hand: an expected crash, so that the
// properties judge what the others did with its death (a robust mutex's survivors go on; a
// named_mutex's wait for a lock nobody will release, until the timeout). A stopped agent is no
// crash: it hangs, and the timeout says so.
void mark_chaos_kills(const std::vector<ChaosAction>& chaos, History& history) {
    for (const ChaosAction& action : chaos)
        for (AgentHistory& agent : history.agents) {
            if (action.signal != SIGKILL || agent.name != action.agent) continue;
            agent.expected_crash = true;
            // Dead by the chaos's SIGKILL, whoever reaped it: a timeout or an interrupt that came
            // before the supervisor saw it die would report its own reason.
            if (agent.signal == SIGKILL && (agent.end == AgentEnd::killed_at_timeout ||
                                            agent.end == AgentEnd::killed_by_harness))
                agent.end = AgentEnd::crashed;
        }
}

} // namespace

RunReport run_agents(const Plan& plan, const RunOptions& options) {
    const auto started = Clock::now();
    RunReport report;
    const auto finish = [&]() -> RunReport {
        report.duration_s = std::chrono::duration<double>(Clock::now() - started).count();
        return std::move(report);
    };
    // The run registry: while this lock is held the run is alive, and `ipc-harness clean` leaves
    // its objects alone. A seeded run's id already has its lock (claim_run_names).
    NameLock registration;
    const std::string registry_name = registry_lock_name(plan.run_id);
    if (!is_seeded_run_id(plan.run_id)) {
        std::string why;
        if (registration.try_take(registry_name, why)) registration.write_record(run_record(plan));
    }
    struct Unregister {
        NameLock& lock;
        const std::string& name;
        ~Unregister() { lock.remove_and_release(name); }
    } unregister{registration, registry_name};
    NameLock mapping_lock, mutex_lock;
    if (auto busy = lock_fixed_names(plan, mapping_lock, mutex_lock)) {
        report.errors.push_back(*busy);
        report.could_not_run = true;
        return finish();
    }
    // Looked at once, under the name locks and before anything is created.
    const PreexistingObjects existing =
        plan.reuse
            ? find_preexisting(plan)
            : remove_dead_runs_objects(plan, find_preexisting(plan), mapping_lock, mutex_lock);
    if (auto refusal = refuse_existing_names(plan, existing)) {
        report.errors.push_back(*refusal);
        report.could_not_run = true;
        return finish();
    }
    // A plan made by hand may leave `commands` short: its agents are ipc-agent.
    const bool uses_ipc_agent =
        plan.commands.size() < plan.agents.size() ||
        std::any_of(plan.commands.begin(), plan.commands.end(),
                    [](const std::vector<std::string>& command) { return command.empty(); });
    if (auto missing = uses_ipc_agent ? check_agent_exe(options.agent_exe) : std::nullopt) {
        report.errors.push_back(*missing);
        report.could_not_run = true;
        return finish();
    }
    if (auto full =
            check_room(plan, control_block_size(static_cast<std::uint32_t>(plan.agents.size()),
                                                barrier_count(plan)))) {
        report.errors.push_back(*full);
        report.could_not_run = true;
        return finish();
    }
    RunObjectsGuard guard(plan, existing);
    // The fixed names' records say this run creates their objects until it has removed them
    // (cleared first: a kill in between leaves an object without a record, which is refused, the
    // safe side).
    record_created(plan, existing, mapping_lock, mutex_lock, true);
    struct ClearRecords {
        const Plan& plan;
        PreexistingObjects existing;
        NameLock& mapping_lock;
        NameLock& mutex_lock;
        ~ClearRecords() { record_created(plan, existing, mapping_lock, mutex_lock, false); }
    } clear_records{plan, existing, mapping_lock, mutex_lock};
    std::optional<ControlObject> control;
    try {
        control.emplace(plan.control.name, static_cast<std::uint32_t>(plan.agents.size()),
                        barrier_count(plan));
    } catch (const std::exception& e) {
        report.errors.push_back(e.what());
        report.could_not_run = true;
        return finish();
    }

    std::vector<AgentProcess> agents(plan.agents.size());
    for (std::size_t i = 0; i < agents.size(); ++i)
        agents[i].plan = &plan.agents[i];
    ReapAll reap_all(agents);
    MappingPeek peek(plan);
    std::optional<Chaos> chaos;
    Supervision supervision{&peek, nullptr, std::nullopt};

    if (auto failure = spawn_agents(plan, options.agent_exe, agents)) {
        report.errors.push_back(*failure);
        report.could_not_run = true;
        abort_agents(control->block());
        for (AgentProcess& agent : agents)
            kill_and_reap(agent, AgentEnd::killed_by_harness);
    } else {
        if (options.chaos) supervision.chaos = &chaos.emplace(*options.chaos, plan.seed);
        report.interrupt_signal = supervise(plan, control->block(), agents, supervision);
    }
    peek.close(); // before the objects go: an attached xsi segment outlives its removal
    if (chaos) report.chaos = chaos->actions();
    report_agent_setup_failures(plan, agents, report);
    report.history = read_history(plan, agents, control->block());
    mark_chaos_kills(report.chaos, report.history);
    if (supervision.at_timeout)
        report.hang = report_hang(plan, *supervision.at_timeout, report.history);
    if (const auto layout = mapping_layout(plan.mapping_size, plan.lock_bytes))
        report.history.payload_capacity = layout->capacity;
    report.history.mutex_kind = plan.mutex_kind;
    // Every agent has ended: what remains now is what the run leaves, until the guard removes it.
    report.history.objects = observe_objects(plan, existing);
    guard.remove_all();
    return finish();
}

} // namespace ipch
