// Random conformance checks.
// The standard headers come before CppUTest's (through the suite header): its leak detector redefines `new`.
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "random_conformance.hpp"

namespace docklink::conformance {

namespace {

void fill_ok(port::Random& random, std::uint8_t* out, std::size_t size) {
  const Status status = random.fill(out, size);
  CHECK_TRUE_TEXT(status.is_ok(), (std::to_string(size) + " bytes: " + status.to_string()).c_str());
}

std::string draw(port::Random& random, std::size_t size) {
  std::string bytes(size, '\0');
  fill_ok(random, reinterpret_cast<std::uint8_t*>(bytes.data()), size);
  return bytes;
}

int bits_set(std::uint8_t byte) {
  int count = 0;
  for (; byte != 0; byte &= static_cast<std::uint8_t>(byte - 1)) ++count;
  return count;
}

}  // namespace

void random_fills_exactly_the_buffer(port::Random& random) {
  constexpr std::size_t kGuard = 16;
  constexpr std::uint8_t kPattern = 0xA5;
  for (std::size_t size : {1u, 2u, 15u, 16u, 17u, 31u, 32u, 33u, 255u, 4096u, 65537u}) {
    std::vector<std::uint8_t> buffer(size + 2 * kGuard, kPattern);
    fill_ok(random, buffer.data() + kGuard, size);
    for (std::size_t i = 0; i < kGuard; ++i) {
      const std::string where = std::to_string(size) + " bytes, guard byte " + std::to_string(i);
      LONGS_EQUAL_TEXT(kPattern, buffer[i], ("before " + where).c_str());
      LONGS_EQUAL_TEXT(kPattern, buffer[kGuard + size + i], ("after " + where).c_str());
    }
  }
}

void random_fills_every_byte(port::Random& random) {
  // A byte left unwritten keeps its old value in all eight draws; a written one does so with chance 256^-8.
  constexpr std::size_t kSize = 4096;
  constexpr int kDraws = 8;
  std::vector<int> unchanged(kSize, 0);
  for (int round = 0; round < kDraws; ++round) {
    const auto old_value = static_cast<std::uint8_t>(round * 37);
    std::vector<std::uint8_t> buffer(kSize, old_value);
    fill_ok(random, buffer.data(), kSize);
    for (std::size_t i = 0; i < kSize; ++i) unchanged[i] += buffer[i] == old_value ? 1 : 0;
  }
  for (std::size_t i = 0; i < kSize; ++i) {
    CHECK_TRUE_TEXT(unchanged[i] < kDraws, ("byte " + std::to_string(i) + " is never written").c_str());
  }
}

void random_zero_bytes_is_ok(port::Random& random) {
  std::uint8_t byte = 0x3C;
  fill_ok(random, &byte, 0);
  LONGS_EQUAL(0x3C, byte);
}

void random_draws_differ(port::Random& random) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) seen.insert(draw(random, 16));
  LONGS_EQUAL(2000, seen.size());
}

void random_bytes_are_balanced(port::Random& random) {
  constexpr std::size_t kSize = 64 * 1024;
  std::vector<std::uint8_t> buffer(kSize);
  fill_ok(random, buffer.data(), kSize);
  std::array<bool, 256> present{};
  long ones = 0;
  for (std::uint8_t byte : buffer) {
    present[byte] = true;
    ones += bits_set(byte);
  }
  for (std::size_t value = 0; value < present.size(); ++value) {
    CHECK_TRUE_TEXT(present[value], ("byte value " + std::to_string(value) + " never drawn").c_str());
  }
  // 524288 bits: a fair source's count of ones has a standard deviation of 362; 1 % is 14 of them.
  const long bits = static_cast<long>(kSize) * 8;
  const std::string text = std::to_string(ones) + " of " + std::to_string(bits) + " bits are ones";
  CHECK_TRUE_TEXT(ones > bits / 2 - bits / 200 && ones < bits / 2 + bits / 200, text.c_str());
}

void random_concurrent_draws_are_distinct(port::Random& random) {
  std::mutex mutex;
  std::set<std::string> seen;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        std::string bytes(16, '\0');
        if (!random.fill(reinterpret_cast<std::uint8_t*>(bytes.data()), bytes.size()).is_ok()) ++failures;
        std::lock_guard<std::mutex> lock(mutex);
        seen.insert(bytes);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  LONGS_EQUAL(0, failures.load());
  LONGS_EQUAL(2000, seen.size());
}

}  // namespace docklink::conformance
