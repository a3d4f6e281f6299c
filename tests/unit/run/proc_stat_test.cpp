// /proc/PID/stat's fields after the command: what the supervisor (a stopped agent's state) and
// `clean` (a controller's start time) read.
#include "run/proc_stat.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace ipch;

TEST_CASE("proc_stat_fields: the state first, the start at field 22, none for no process",
          "[proc]") {
    const auto self = proc_stat_fields(::getpid());
    REQUIRE(self);
    REQUIRE(self->size() > 19);
    CHECK(self->front() == "R"); // this thread is running: it is reading the file
    CHECK(std::stoull((*self)[22 - 3]) > 0);
    // A pid beyond pid_max names no process.
    CHECK_FALSE(proc_stat_fields(1 << 30));
}

TEST_CASE("proc_stat_fields: a command with ') ' in its name does not shift the fields", "[proc]") {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::prctl(PR_SET_NAME, "a) b (c) d", 0, 0, 0);
        ::raise(SIGSTOP);
        ::_exit(0);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, WUNTRACED) == child);
    const auto fields = proc_stat_fields(child);
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    REQUIRE(fields);
    CHECK(fields->front() == "T");                    // stopped
    CHECK(std::stoi((*fields)[4 - 3]) == ::getpid()); // field 4: its parent
}
