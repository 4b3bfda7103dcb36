// UUIDv4 ids: format, version and variant bits, uniqueness, and failure of the random source.
#include <array>
#include <cstdint>
#include <random>
#include <set>
#include <string>

#include "docklink/ids.hpp"

#include <CppUTest/TestHarness.h>

namespace {

/// Deterministic stand-in for the mbedTLS random port.
class MersenneRandom : public docklink::port::Random {
 public:
  explicit MersenneRandom(std::uint32_t seed) : engine_(seed) {}
  docklink::Status fill(std::uint8_t* out, std::size_t size) override {
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(engine_() & 0xffu);
    return docklink::Status::ok();
  }

 private:
  std::mt19937 engine_;
};

class FailingRandom : public docklink::port::Random {
 public:
  docklink::Status fill(std::uint8_t*, std::size_t) override {
    return docklink::Status(docklink::StatusCode::kIo, "entropy source gone");
  }
};

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

void check_uuid_v4_shape(const std::string& id) {
  LONGS_EQUAL(36, id.size());
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      CHECK_EQUAL('-', id[i]);
    } else {
      CHECK_TEXT(is_lower_hex(id[i]), id.c_str());
    }
  }
  CHECK_EQUAL('4', id[14]);                                                                  // version
  CHECK_TEXT(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b', id.c_str());  // variant 10xx
}

}  // namespace

TEST_GROUP(Ids){};

TEST(Ids, FormatsKnownBytesAndForcesVersionAndVariant) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(0xf0 + i);
  STRCMP_EQUAL("f0f1f2f3-f4f5-46f7-b8f9-fafbfcfdfeff", docklink::format_uuid_v4(bytes).c_str());
  bytes.fill(0);
  STRCMP_EQUAL("00000000-0000-4000-8000-000000000000", docklink::format_uuid_v4(bytes).c_str());
  bytes.fill(0xff);
  STRCMP_EQUAL("ffffffff-ffff-4fff-bfff-ffffffffffff", docklink::format_uuid_v4(bytes).c_str());
}

TEST(Ids, AllocationFreeFormMatchesStringForm) {
  std::array<std::uint8_t, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 17);
  char text[docklink::kUuidTextLength + 1];
  text[docklink::kUuidTextLength] = '!';  // must not be overwritten
  docklink::format_uuid_v4(bytes, text);
  CHECK_EQUAL('!', text[docklink::kUuidTextLength]);
  CHECK(std::string(text, docklink::kUuidTextLength) == docklink::format_uuid_v4(bytes));
}

TEST(Ids, ThousandRandomIdsAreWellFormedAndDistinct) {
  MersenneRandom random(12345);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = docklink::new_uuid(random);
    CHECK(id.is_ok());
    check_uuid_v4_shape(id.value());
    seen.insert(id.value());
  }
  LONGS_EQUAL(1000, seen.size());
}

TEST(Ids, RandomFailureIsReported) {
  FailingRandom random;
  auto id = docklink::new_uuid(random);
  CHECK_FALSE(id.is_ok());
  CHECK(id.status().code() == docklink::StatusCode::kIo);
  STRCMP_CONTAINS("entropy source gone", id.status().message().c_str());
}
