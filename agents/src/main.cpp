// ipc-agent PLAN.json: executes one agent's plan against the objects under test.
//
// Exit codes: 0 every op ran (ops that fail record an error event and the agent goes on)
// · 1 the open at start failed, or a lock or unlock failed and stopped the agent (recorded in
// the log) · 2 usage or an unreadable plan · 3 the agent's own set-up failed (log, control
// object) · 4 the harness aborted the run, or the start barrier timed out. A crash op ends the
// agent on SIGKILL.
#include "agent_clock.hpp"
#include "backend.hpp"
#include "control.hpp"
#include "event_recorder.hpp"
#include "executor.hpp"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <sys/prctl.h>
#include <unistd.h>

namespace {

using namespace ipch;

std::optional<AgentPlan> read_plan(const char* path) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "ipc-agent: cannot read plan '" << path << "': " << std::strerror(errno)
                  << "\n";
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    try {
        return plan_from_json(text.str());
    } catch (const std::exception& e) {
        std::cerr << "ipc-agent: " << path << ": " << e.what() << "\n";
        return std::nullopt;
    }
}

// Closes the log: the clock's corrections and report first (agent_clock.hpp), then the status.
void end_log(EventRecorder& recorder, AgentClock& clock, LogStatus status) {
    clock.finish(recorder);
    recorder.close(status);
}

int run_agent(const AgentPlan& plan, const std::filesystem::path& plan_dir) {
    AgentClock clock(plan.clock);
    std::optional<EventRecorder> recorder;
    std::optional<ControlClient> control;
    try {
        recorder.emplace((plan_dir / plan.log_path).string(), plan.agent_id, plan.log_capacity);
        control.emplace(plan.control_name, plan.agent_index);
    } catch (const std::exception& e) {
        std::cerr << "ipc-agent " << plan.agent_name << ": " << e.what() << "\n";
        return 3;
    }
    const OpenPhase phase =
        plan.open_mode == OpenMode::open_existing ? OpenPhase::everyone : OpenPhase::creators;
    if (!control->wait_for_phase(phase, plan.start_timeout_ns)) {
        end_log(*recorder, clock, LogStatus::failed);
        std::cerr << "ipc-agent " << plan.agent_name << ": aborted before opening\n";
        return 4;
    }
    // An agent whose ops open the objects themselves opens nothing here, but still passes the
    // open phases and the start barrier with the others.
    Executor executor(plan, *recorder, &*control);
    const bool opened = executor.opens_itself() || executor.open_at_start();
    control->mark_opened(opened);
    if (!opened) {
        end_log(*recorder, clock, LogStatus::failed);
        return 1;
    }
    clock.settle();
    if (!control->wait_for_go(plan.start_timeout_ns)) {
        end_log(*recorder, clock, LogStatus::failed);
        std::cerr << "ipc-agent " << plan.agent_name << ": aborted at the start barrier\n";
        return 4;
    }
    control->set_state(AgentState::running);
    recorder->set_clock_report(clock.start_run(recorder->committed()));
    try {
        executor.run();
    } catch (const RunAborted& e) {
        std::cerr << "ipc-agent " << plan.agent_name << ": " << e.what() << "\n";
        end_log(*recorder, clock, LogStatus::failed);
        control->set_state(AgentState::failed);
        return 4;
    } catch (const std::exception& e) {
        std::cerr << "ipc-agent " << plan.agent_name << ": " << e.what() << "\n";
        end_log(*recorder, clock, LogStatus::failed);
        control->set_state(AgentState::failed);
        return 1;
    }
    end_log(*recorder, clock, LogStatus::finished);
    control->set_state(AgentState::done);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2 || std::string_view(argv[1]) == "--help") {
        std::cerr
            << "usage: ipc-agent PLAN.json\n"
               "Executes one agent's plan; started by ipc-harness (docs/agent-protocol.md).\n";
        return 2;
    }
    // Die with the harness: an agent must never outlive the run that owns its objects. The
    // check after the prctl catches a harness that died before it took effect.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    std::optional<AgentPlan> plan = read_plan(argv[1]);
    if (!plan) return 2;
    const std::filesystem::path plan_dir = std::filesystem::absolute(argv[1]).parent_path();
    plan->base_dir = plan_dir.string(); // a file mapping's path is relative to it
    // The plan is the same for every run of a seed; the controller's pid comes separately.
    if (const char* harness = std::getenv("IPCH_HARNESS_PID"); harness != nullptr) {
        if (std::to_string(getppid()) != harness) {
            std::cerr << "ipc-agent: the harness (pid " << harness << ") is gone\n";
            return 4;
        }
    }
    return run_agent(*plan, plan_dir);
}
