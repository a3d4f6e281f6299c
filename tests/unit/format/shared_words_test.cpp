#include "shared_words.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace ipch;

TEST_CASE("copy_payload copies exactly `size` bytes, inline sizes and memcpy's alike",
          "[agent][payload]") {
    std::string from(200, '\0');
    for (std::size_t i = 0; i < from.size(); ++i)
        from[i] = static_cast<char>('A' + i % 53);
    for (std::size_t size = 0; size <= 130; ++size) {
        // Guard bytes around the copy: nothing before or after it may change.
        std::string to(size + 16, '#');
        copy_payload(to.data() + 8, from.data(), size);
        INFO("size " << size);
        CHECK(to.substr(0, 8) == std::string(8, '#'));
        CHECK(to.substr(8, size) == from.substr(0, size));
        CHECK(to.substr(8 + size) == std::string(8, '#'));
    }
}

TEST_CASE("UnstampedWrites publishes the next message of its writer and frees the owner word",
          "[agent][payload]") {
    struct {
        MappingHeader header{};
        char payload[64] = {};
    } mapping;
    const std::string text(40, 'x');
    UnstampedWrites writes{{mapping.header, mapping.payload, text, {7, 40, 11, 1234}, 0x70001}};
    writes.section();
    writes.section();
    CHECK(mapping.header.message.writer == 7);
    CHECK(mapping.header.message.length == 40);
    CHECK(mapping.header.message.writer_seq == 13);
    CHECK(mapping.header.message.checksum == 1234);
    CHECK(mapping.header.owner == 0);
    CHECK(std::string(mapping.payload, 40) == text);
    CHECK(writes.message.writer_seq == 13);
}
