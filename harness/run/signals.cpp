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
    // No SA_RESTART: a blocking call returns, and the loop sees the flag. A second signal
    // (`timeout -s INT` signals both the harness and its group; impatient users press Ctrl-C
    // twice) only sets the flag again: clean-up is bounded, and must not be cut short.
    action.sa_flags = 0;
    for (const int signal : {SIGINT, SIGTERM, SIGHUP})
        sigaction(signal, &action, nullptr);
}

int pending_interrupt() {
    return received;
}

} // namespace ipch
