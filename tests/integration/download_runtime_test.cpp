// Downloads on the transfer manager's worker threads against a real nginx over plain HTTP (CurlHttpClient): the
// process-wide bandwidth limit holds within 10 % for transfers sharing it, and a file that arrives damaged is
// fetched once more from zero. Plain HTTP keeps the CPU far from being the bottleneck under qemu.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/runtime.hpp"
#include "docklink/transfer/download.hpp"
#include "docklink/transfer/transfer_manager.hpp"
#include "http_test_io.hpp"  // deterministic_bytes, file_bytes
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory

// Last: it includes CppUTest, which redefines new.
#include "nginx_transfer_group.hpp"

using namespace docklink;
using transfer::DownloadResult;
using transfer::TransferId;

namespace {

/// Runs a hook once, after the first request it performs (the server's file changes between attempts).
class HookedHttpClient : public port::HttpClient {
 public:
  HookedHttpClient(port::HttpClient& inner, std::function<void()> after_first)
      : inner_(inner), after_first_(std::move(after_first)) {}
  Status perform(const port::HttpRequest& request, port::HttpBodySource* body, port::HttpResponseSink& sink) override {
    Status status = inner_.perform(request, body, sink);
    if (after_first_) std::exchange(after_first_, nullptr)();
    return status;
  }

 private:
  port::HttpClient& inner_;
  std::function<void()> after_first_;
};

/// Times the body pieces the engine receives on the engine's own clock: from the first piece's arrival to the
/// return of the last on_body (where the pacer has paid the last piece's debt to the limit). Connecting, worker
/// start, verification and the done callback's dispatch lie outside, so only the limiter's pace is measured.
class TimedHttpClient : public port::HttpClient {
 public:
  TimedHttpClient(port::HttpClient& inner, const port::Clock& clock) : inner_(inner), clock_(clock) {}
  Status perform(const port::HttpRequest& request, port::HttpBodySource* body, port::HttpResponseSink& sink) override {
    Sink timed(*this, sink);
    return inner_.perform(request, body, timed);
  }
  /// Body bytes over the milliseconds from the first piece to the end of the last; 0 before any piece.
  double bytes_per_second() {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_ms_ > first_ms_ ? static_cast<double>(bytes_) * 1000.0 / static_cast<double>(last_ms_ - first_ms_)
                                : 0.0;
  }
  std::int64_t elapsed_ms() {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_ms_ - first_ms_;
  }

 private:
  class Sink : public port::HttpResponseSink {
   public:
    Sink(TimedHttpClient& owner, port::HttpResponseSink& inner) : owner_(owner), inner_(inner) {}
    Status on_status(int status, const std::vector<port::HttpHeader>& headers) override {
      return inner_.on_status(status, headers);
    }
    Status on_body(std::string_view piece) override {
      owner_.arrived(piece.size());
      Status taken = inner_.on_body(piece);
      owner_.passed();
      return taken;
    }

   private:
    TimedHttpClient& owner_;
    port::HttpResponseSink& inner_;
  };
  void arrived(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (bytes_ == 0) first_ms_ = clock_.monotonic_ms();
    bytes_ += bytes;
  }
  void passed() {
    std::lock_guard<std::mutex> lock(mutex_);
    last_ms_ = clock_.monotonic_ms();
  }

  port::HttpClient& inner_;
  const port::Clock& clock_;
  std::mutex mutex_;
  std::uint64_t bytes_ = 0;
  std::int64_t first_ms_ = 0;
  std::int64_t last_ms_ = 0;
};

/// Results delivered on the dispatcher, awaited by the test.
class Results {
 public:
  transfer::DownloadDoneCallback callback() {
    return [this](TransferId, const DownloadResult& result) {
      std::lock_guard<std::mutex> lock(mutex_);
      results_.push_back(result);
      changed_.notify_all();
    };
  }
  bool await(std::size_t count) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::minutes(1), [&] { return results_.size() >= count; });
  }
  std::vector<DownloadResult> results() {
    std::lock_guard<std::mutex> lock(mutex_);
    return results_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<DownloadResult> results_;
};

}  // namespace

TEST_GROUP_BASE(DownloadRuntimeIntegration, test::NginxTransferGroup){
    transfer::DownloadRequest request_for(const std::string& name,
                                          const std::string& content){transfer::DownloadRequest request;
request.url = nginx->http_url("/files/" + name);
request.destination = directory.file(name);
request.expected_size = content.size();
request.expected_digest = ports::sha256_hex(content);
request.digest_algorithm = port::HashAlgorithm::kSha256;
return request;
}
}
;

// The assertion issue #13 asks for: bytes over the elapsed time of the transfers themselves, within 10 % of a
// process-wide limit two concurrent downloads share. 256 KiB/s for 3 s: far below what the CPU can do even under
// qemu, so only the limiter can set the pace. The time is the engine's (its clock, from the first body piece to
// the end of the last), not the test's: a loaded machine's slow connect, worker start or callback dispatch is no
// part of the limiter's pace, and the limiter's burst (kBandwidthBurstMs) is under 2 % of the bytes.
TEST(DownloadRuntimeIntegration, ProcessWideLimitHoldsWithinTenPercentForTwoDownloads) {
  const std::uint64_t limit = 256u * 1024u;
  std::string first = test::deterministic_bytes(384u * 1024u, 1);
  std::string second = test::deterministic_bytes(384u * 1024u, 2);
  CHECK(nginx->write_file("first.bin", first));
  CHECK(nginx->write_file("second.bin", second));
  Runtime runtime(clock);
  transfer::TransferManagerOptions options;
  options.bandwidth_limit = limit;
  TimedHttpClient timed(*http, clock);
  transfer::TransferManager manager(runtime, {&timed, &hashing, &clock, nullptr, nullptr, nullptr}, options);
  Results results;
  CHECK_TRUE(manager.submit_download(request_for("first.bin", first), results.callback()).is_ok());
  CHECK_TRUE(manager.submit_download(request_for("second.bin", second), results.callback()).is_ok());
  CHECK_TRUE(results.await(2));
  for (const auto& result : results.results()) CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  double rate = timed.bytes_per_second();
  std::fprintf(stderr, "\nshared limit %llu B/s: %.0f B/s over %lld ms of transfer\n",
               static_cast<unsigned long long>(limit), rate, static_cast<long long>(timed.elapsed_ms()));
  CHECK_TEXT(rate <= 1.10 * static_cast<double>(limit), "faster than the limit allows");
  CHECK_TEXT(rate >= 0.90 * static_cast<double>(limit), "much slower than the limit");
}

TEST(DownloadRuntimeIntegration, DamagedFirstFetchIsFetchedOnceMoreFromZero) {
  std::string good = test::deterministic_bytes(300u * 1024u, 3);
  std::string damaged = good;
  damaged[1000] = static_cast<char>(damaged[1000] ^ 0x5A);
  CHECK(nginx->write_file("fw.bin", damaged));
  HookedHttpClient hooked(*http, [&] { CHECK(nginx->write_file("fw.bin", good)); });  // the server heals
  transfer::Downloader downloader({&hooked, &hashing, &clock, nullptr, nullptr, nullptr});
  auto result = downloader.download(request_for("fw.bin", good));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(2, result.attempts);
  LONGS_EQUAL(2 * good.size(), result.fetched);
  CHECK(test::file_bytes(directory.file("fw.bin")) == good);
  CHECK_FALSE(std::filesystem::exists(directory.file("fw.bin.part")));
  auto lines = nginx->access_log_lines(2);
  LONGS_EQUAL(2, lines.size());
  for (const auto& line : lines) CHECK_TEXT(line.find(" 200") != std::string::npos, line.c_str());  // no Range
}
