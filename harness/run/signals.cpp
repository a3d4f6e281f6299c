#include "run/signals.hpp"

#include <csignal>

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
    action.sa_flags = 0; // no SA_RESTART: a blocking call returns, and the loop sees the flag
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

int pending_interrupt() {
    return received;
}

} // namespace ipch
