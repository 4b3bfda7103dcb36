// Deterministic OS ports for tests: a seeded random source and a log that keeps its lines for assertions.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/port/log.hpp"
#include "docklink/port/random.hpp"

namespace docklink::test {

/// Pseudo-random bytes from a seed (tests must be repeatable; production uses mbedTLS CTR_DRBG). By default each
/// instance gets the next seed, so two clients in one test (a "restarted process") never share ids.
class SeededRandom : public port::Random {
 public:
  SeededRandom() : SeededRandom(next_seed()) {}
  explicit SeededRandom(std::uint32_t seed) : engine_(seed) {}
  Status fill(std::uint8_t* out, std::size_t size) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(engine_() & 0xFFu);
    return Status::ok();
  }

  static std::uint32_t next_seed() {
    static std::atomic<std::uint32_t> seed{1234};
    // The pid keeps a forked child (a "killed dock" in the durability test) apart from its parent.
    return seed++ ^ (static_cast<std::uint32_t>(getpid()) << 16);
  }

 private:
  std::mutex mutex_;
  std::mt19937 engine_;
};

/// Keeps every line (kOff is no line level: port::Log); `contains` searches them.
class RecordingLog : public port::Log {
 public:
  bool enabled(port::LogLevel level) const override { return level != port::LogLevel::kOff; }
  void write(port::LogLevel level, std::string_view component, std::string_view message) override {
    if (level == port::LogLevel::kOff) return;
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(std::string(component) + ": " + std::string(message));
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  bool contains(std::string_view needle) const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& line : lines_) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace docklink::test
