// MbedtlsRandom: output looks random, differs between generators, threads and forked processes.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "docklink/ports/linux_platform.hpp"
#include "docklink/ports/mbedtls_random.hpp"

#include <CppUTest/TestHarness.h>

using docklink::ports::LinuxPlatform;
using docklink::ports::LinuxPlatformOptions;
using docklink::ports::MbedtlsRandom;

namespace {

std::string draw(MbedtlsRandom& random, std::size_t size) {
  std::string bytes(size, '\0');
  CHECK_TRUE(random.fill(reinterpret_cast<std::uint8_t*>(&bytes[0]), size).is_ok());
  return bytes;
}

}  // namespace

TEST_GROUP(MbedtlsRandom) {
  std::unique_ptr<MbedtlsRandom> random;
  void setup() override {
    auto created = MbedtlsRandom::create();
    CHECK_TRUE(created.is_ok());
    random = std::move(created).value();
  }
};

TEST(MbedtlsRandom, ConsecutiveDrawsDiffer) {
  const std::string first = draw(*random, 16);
  const std::string second = draw(*random, 16);
  CHECK_TRUE(first != second);
  CHECK_TRUE(first != std::string(16, '\0'));
}

TEST(MbedtlsRandom, TwoGeneratorsDiffer) {
  auto other = MbedtlsRandom::create();
  CHECK_TRUE(other.is_ok());
  CHECK_TRUE(draw(*random, 32) != draw(*other.value(), 32));
}

TEST(MbedtlsRandom, LargeRequestsAreFilledCompletely) {
  // Larger than one CTR_DRBG request (1024 bytes): every chunk must be filled, and every byte value shows up
  // (missing one in 8000 uniform bytes has probability about 256 * e^-31).
  const std::string bytes = draw(*random, 8000);
  std::array<int, 256> seen{};
  for (char c : bytes) ++seen[static_cast<unsigned char>(c)];
  for (int count : seen) CHECK_TRUE(count > 0);
  CHECK_TRUE(bytes.substr(7000) != std::string(1000, '\0'));
}

TEST(MbedtlsRandom, ZeroBytesIsFine) { CHECK_TRUE(random->fill(nullptr, 0).is_ok()); }

TEST(MbedtlsRandom, ThreadsNeverGetTheSameBytes) {
  constexpr int kThreads = 4;
  constexpr int kDrawsEach = 500;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, &drawn, t] {
      for (int i = 0; i < kDrawsEach; ++i) {
        std::string bytes(16, '\0');
        // Off the test's thread CppUTest cannot CHECK; a failed fill leaves zeros, which the distinctness check finds.
        static_cast<void>(random->fill(reinterpret_cast<std::uint8_t*>(&bytes[0]), bytes.size()));
        drawn[static_cast<std::size_t>(t)].push_back(bytes);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& per_thread : drawn) unique.insert(per_thread.begin(), per_thread.end());
  LONGS_EQUAL(kThreads * kDrawsEach, unique.size());
}

TEST(MbedtlsRandom, ForkedChildDrawsDifferentBytes) {
  int pipe_fds[2];
  CHECK_EQUAL(0, ::pipe(pipe_fds));
  const pid_t child = ::fork();
  if (child == 0) {
    std::uint8_t bytes[16];
    bool ok = random->fill(bytes, sizeof bytes).is_ok() && ::write(pipe_fds[1], bytes, sizeof bytes) == 16;
    ::_exit(ok ? 0 : 1);
  }
  CHECK_TRUE(child > 0);
  ::close(pipe_fds[1]);
  const std::string parent_bytes = draw(*random, 16);
  std::string child_bytes(16, '\0');
  const ssize_t got = ::read(pipe_fds[0], &child_bytes[0], child_bytes.size());
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  LONGS_EQUAL(16, got);
  CHECK_TRUE(parent_bytes != child_bytes);
}

TEST_GROUP(LinuxPlatform){};

TEST(LinuxPlatform, BundlesThePortsWithoutStoreByDefault) {
  auto created = LinuxPlatform::create({});
  CHECK_TRUE(created.is_ok());
  auto platform = created.value()->platform();
  CHECK_TRUE(platform.clock != nullptr);
  CHECK_TRUE(platform.random != nullptr);
  CHECK_TRUE(platform.log != nullptr);
  CHECK_TRUE(platform.store == nullptr);
  CHECK_TRUE(platform.log->enabled(docklink::port::LogLevel::kInfo));
  CHECK_FALSE(platform.log->enabled(docklink::port::LogLevel::kDebug));
  std::uint8_t byte_pair[2];
  CHECK_TRUE(platform.random->fill(byte_pair, sizeof byte_pair).is_ok());
}

TEST(LinuxPlatform, OpensTheStoreDirectory) {
  char pattern[] = "/tmp/docklink-platform-XXXXXX";
  CHECK_TRUE(::mkdtemp(pattern) != nullptr);
  const std::string directory = std::string(pattern) + "/queue";
  {
    LinuxPlatformOptions options;
    options.log_level = docklink::port::LogLevel::kDebug;
    options.store_directory = directory;
    auto created = LinuxPlatform::create(options);
    CHECK_TRUE(created.is_ok());
    auto platform = created.value()->platform();
    CHECK_TRUE(platform.store != nullptr);
    CHECK_TRUE(platform.log->enabled(docklink::port::LogLevel::kDebug));
    CHECK_TRUE(platform.store->put("k", "v").is_ok());
    CHECK_TRUE(platform.store->remove("k").is_ok());
  }
  ::rmdir(directory.c_str());
  ::rmdir(pattern);
}

TEST(LinuxPlatform, UnusableStoreDirectoryFails) {
  LinuxPlatformOptions options;
  options.store_directory = "/proc/docklink-cannot-create-here";
  auto created = LinuxPlatform::create(options);
  CHECK_FALSE(created.is_ok());
  CHECK_TRUE(created.status().code() == docklink::StatusCode::kIo);
}
