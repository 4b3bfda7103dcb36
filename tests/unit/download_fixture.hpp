// What the download engine's unit tests share: a manual clock and waiter (pacing and backoff without waiting),
// a scripted HTTP client, an in-memory store, real mbedTLS hashing, and a temporary directory for the files.
#pragma once

#include <stdlib.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/memory_store.hpp"
#include "docklink/transfer/download.hpp"
#include "fake_http.hpp"
#include "test_clock.hpp"
#include "test_ports.hpp"

namespace docklink::test {

/// Waits by moving the manual clock, and remembers each wait.
class ManualWaiter : public transfer::TransferWaiter {
 public:
  explicit ManualWaiter(ManualClock& clock) : clock_(clock) {}
  void wait(std::int64_t ms, transfer::TransferControl&) override {
    waits.push_back(ms);
    clock_.advance(ms);
  }
  std::vector<std::int64_t> waits;

 private:
  ManualClock& clock_;
};

/// `size` bytes of a repeating but not periodic-by-1000 pattern, so a splice at a wrong offset changes the digest.
inline std::string pattern_content(std::size_t size, char salt = 'a') {
  std::string content(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    content[i] = static_cast<char>(static_cast<std::size_t>(salt) + (i * 7 + i / 13) % 26);
  return content;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

/// MD5 hex of `content`, computed by the one-shot file helper (independent of the engine's streaming hasher).
inline std::string md5_hex_of(const std::string& directory, const std::string& content) {
  std::string path = directory + "/md5-input";
  write_file(path, content);
  std::string hex = ports::file_md5_hex(path).value();
  std::filesystem::remove(path);
  return hex;
}

/// One test's world.
struct DownloadWorld {
  DownloadWorld() : waiter(clock) {
    std::string pattern = (std::filesystem::temp_directory_path() / "docklink-download-XXXXXX").string();
    directory = ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
    options.waiter = &waiter;
  }
  ~DownloadWorld() {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }

  transfer::DownloaderPorts ports() { return {&http, &hashing, &clock, &store, &log, nullptr}; }
  transfer::Downloader downloader() { return transfer::Downloader(ports(), options); }

  /// A request for `content` (MD5, expected size, resume key "fw").
  transfer::DownloadRequest request_for(const std::string& content) {
    transfer::DownloadRequest request;
    request.url = "https://files.example.com/fw.bin?X-Amz-Signature=secret";
    request.destination = destination();
    request.expected_size = content.size();
    request.expected_digest = md5_hex_of(directory, content);
    request.resume_key = "fw";
    return request;
  }
  std::string destination() const { return directory + "/fw.bin"; }
  std::string part() const { return destination() + ".part"; }
  bool has_record() const { return store.get("dl.fw").is_ok(); }

  std::string directory;
  FakeHttpClient http;
  ports::MbedtlsHashing hashing;
  ports::MemoryStore store;
  ManualClock clock;
  ManualWaiter waiter;
  RecordingLog log;
  transfer::DownloaderOptions options;
};

}  // namespace docklink::test
