// The open event's not_zero flag, as the agent decides it for a mapping it created: anything in
// the header, payload or guard before any critical section ran. The create-open-race property
// fails on it; real objects come zero-filled, so only a buffer can show that it is ever set.
#include "backends/mapping_kinds.hpp"

#include <catch2/catch.hpp>
#include <vector>

using namespace ipch;

namespace {

struct Buffer {
    explicit Buffer(std::size_t size) : bytes(size), layout(*mapping_layout(size, 0)) {}
    MappingHeader& header() { return *reinterpret_cast<MappingHeader*>(bytes.data()); }
    bool not_zero() {
        return found_not_zero(header(), bytes.data() + layout.payload_offset, layout);
    }

    // Zero-filled, and aligned as a mapping is (operator new's alignment is at least 8): the
    // header's words are read as atomics.
    std::vector<char> bytes;
    MappingLayout layout;
};

} // namespace

TEST_CASE("a created mapping is not zero when its payload or guard holds something",
          "[layout][not_zero]") {
    Buffer mapping(256);
    CHECK_FALSE(mapping.not_zero());
    SECTION("the guard") {
        mapping.bytes[mapping.layout.guard_offset + 7] = 1;
        CHECK(mapping.not_zero());
    }
    SECTION("the payload") {
        mapping.bytes[mapping.layout.payload_offset + 3] = 'x';
        CHECK(mapping.not_zero());
    }
    SECTION("the header's message") {
        mapping.header().message.length = 5;
        CHECK(mapping.not_zero());
    }
}

TEST_CASE("what a critical section wrote in a created mapping is no sign of an old one",
          "[layout][not_zero]") {
    Buffer mapping(256);
    mapping.bytes[mapping.layout.payload_offset] = 'x';
    SECTION("a section ran: the stamp moved") {
        mapping.header().stamp = 1;
        CHECK_FALSE(mapping.not_zero());
    }
    SECTION("a section is running: the owner word is set, the stamp not yet") {
        mapping.header().owner = 0x10001;
        CHECK_FALSE(mapping.not_zero());
    }
}
