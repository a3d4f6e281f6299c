#include "run/signals.hpp"

#include <csignal>
#include <initializer_list>

namespace ipch {

namespace {

volatile std::sig_atomic_t received = 0;

extern "C" void on_interrupt(int signal) {
    received = signal;
}

} // namespace

void install_interrupt_handlers() {
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a blocking call returns, and the loop sees the flag. SA_RESETHAND: a
    // second Ctrl-C ends the harness at once, for the user whose clean-up is somehow stuck.
    action.sa_flags = SA_RESETHAND;
    for (const int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaction(signal, &action, nullptr);
}

int pending_interrupt() {
    return received;
}

} // namespace ipch
