// The scenario loader's longest fixed name (max_name_length) is one every object kind accepts,
// made here for real, and the kernel's own limit (NAME_MAX, 255 bytes a path component) lies
// beyond it: what each kind adds to the name (sem., .mapping, .lock) still fits.
#include "scenario.hpp"

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <boost/interprocess/sync/named_mutex.hpp>
#include <boost/interprocess/sync/named_semaphore.hpp>
#include <catch2/catch.hpp>
#include <climits>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace bip = boost::interprocess;

namespace {

// A name of exactly `length` characters, ours (ipch-PID...) should a failed test leave it.
std::string name_of_length(std::size_t length) {
    std::string name = "ipch-" + std::to_string(::getpid()) + "-limits-";
    name.resize(length, 'x');
    return name;
}

// Whether Boost makes an object of kind `Object` named `name` (removed at once). named_mutex and
// named_semaphore are both glibc's sem_open: /dev/shm/sem.NAME.
template <class Object, class... Args>
bool makes(const std::string& name, const Args&... args) {
    try {
        const Object object(bip::create_only, name.c_str(), args...);
        Object::remove(name.c_str());
        return true;
    } catch (const bip::interprocess_exception&) {
        return false;
    }
}

bool makes_shm(const std::string& name) {
    return makes<bip::shared_memory_object>(name, bip::read_write);
}

bool makes_semaphore(const std::string& name) {
    return makes<bip::named_semaphore>(name, 1u);
}

// A file mapping's RUN_DIR/NAME.mapping and a name lock's NAME.lock: plain files.
bool makes_file(const std::filesystem::path& path) {
    std::ofstream(path) << "x";
    std::error_code ec;
    return std::filesystem::remove(path, ec);
}

} // namespace

TEST_CASE("every object kind accepts a fixed name of max_name_length characters") {
    const std::string name = name_of_length(ipch::max_name_length);
    CHECK(makes_shm(name));
    CHECK(makes_semaphore(name));
    CHECK(makes<bip::named_mutex>(name));
    const auto dir = std::filesystem::temp_directory_path();
    CHECK(makes_file(dir / (name + ".mapping")));
    CHECK(makes_file(dir / (name + ".lock")));
}

TEST_CASE("the kernel's limit lies beyond max_name_length: sem. and .mapping count") {
    // The negative control of the test above: these lengths fail, so a pass there means room.
    CHECK_FALSE(makes_shm(name_of_length(NAME_MAX + 1)));
    CHECK(makes_shm(name_of_length(NAME_MAX)));
    CHECK_FALSE(makes_semaphore(name_of_length(NAME_MAX - 4 + 1))); // sem. + NAME
    CHECK(makes_semaphore(name_of_length(NAME_MAX - 4)));
    const auto dir = std::filesystem::temp_directory_path();
    CHECK_FALSE(makes_file(dir / (name_of_length(NAME_MAX - 8 + 1) + ".mapping")));
    CHECK(makes_file(dir / (name_of_length(NAME_MAX - 8) + ".mapping")));
}
