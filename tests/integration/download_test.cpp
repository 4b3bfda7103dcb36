// The download engine end to end: CurlHttpClient over HTTPS to a real nginx (tests/support/nginx_process.hpp),
// mbedTLS digests and a FileStore, including a resume after the downloading process was killed with SIGKILL.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/file_store.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "docklink/ports/posix_clock.hpp"
#include "docklink/transfer/download.hpp"
#include "http_test_io.hpp"  // deterministic_bytes, file_bytes
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory, make_test_certificates

// clang-format off
#include "CppUTest/TestHarness.h"
// clang-format on

using namespace docklink;
using transfer::TransferError;

namespace {

/// 2 MiB of deterministic bytes, every value present, so a splice at a wrong offset changes the digest.
std::string test_content() { return test::deterministic_bytes(2u * 1024u * 1024u, 2024); }

/// One "process" of the dock: its own HTTP client and store over the shared store directory.
struct Dock {
  explicit Dock(const std::string& ca_file, const std::string& store_directory) {
    ports::CurlHttpClientOptions options;
    options.ca_file = ca_file;
    auto created = ports::CurlHttpClient::create(options);
    if (created) http = std::move(created).value();
    auto opened = ports::FileStore::open(store_directory);
    if (opened) store = std::move(opened).value();
  }
  bool ready() const { return http != nullptr && store != nullptr; }
  transfer::Downloader downloader(transfer::DownloaderOptions options = {}) {
    return transfer::Downloader({http.get(), &hashing, &clock, store.get(), nullptr, nullptr}, options);
  }

  std::unique_ptr<ports::CurlHttpClient> http;
  std::unique_ptr<ports::FileStore> store;
  ports::MbedtlsHashing hashing;
  ports::PosixClock clock;
};

}  // namespace

TEST_GROUP(DownloadIntegration) {
  test::TempDirectory directory;
  test::TestCertificates certificates;
  std::unique_ptr<test::NginxProcess> nginx;
  std::string content = test_content();

  void setup() override {
    if (test::NginxProcess::missing()) TEST_EXIT;
    certificates = test::make_test_certificates(directory.path());
    CHECK_TEXT(certificates.error.empty(), certificates.error.c_str());
    test::NginxOptions options;
    options.certificate = certificates.server_certificate;
    options.key = certificates.server_key;
    nginx = std::make_unique<test::NginxProcess>(options);
    CHECK_TEXT(nginx->running(), nginx->error().c_str());
    CHECK(nginx->write_file("fw.bin", content));
  }
  void teardown() override { nginx.reset(); }

  std::unique_ptr<Dock> dock() {
    auto made = std::make_unique<Dock>(certificates.ca_file, directory.file("store"));
    CHECK_TEXT(made->ready(), "cannot create the HTTP client or open the store");
    return made;
  }
  transfer::DownloadRequest request(const std::string& location) {
    transfer::DownloadRequest request;
    request.url = nginx->https_url(location + "fw.bin");
    request.destination = directory.file("fw.bin");
    request.expected_size = content.size();
    request.digest_algorithm = port::HashAlgorithm::kSha256;
    request.expected_digest = ports::sha256_hex(content);
    request.resume_key = "fw";
    return request;
  }
};

TEST(DownloadIntegration, VerifiedOverHttps) {
  auto result = dock()->downloader().download(request("/files/"));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(200, result.http_status);
  CHECK(test::file_bytes(directory.file("fw.bin")) == content);
  CHECK_FALSE(std::filesystem::exists(directory.file("fw.bin.part")));
}

TEST(DownloadIntegration, DigestMismatchIsRefusedAndNothingIsKept) {
  auto wrong = request("/files/");
  wrong.expected_digest = ports::sha256_hex("another file");
  auto result = dock()->downloader().download(wrong);
  CHECK(result.error == TransferError::kDigestMismatch);
  CHECK_FALSE(std::filesystem::exists(directory.file("fw.bin")));
  CHECK_FALSE(std::filesystem::exists(directory.file("fw.bin.part")));
}

TEST(DownloadIntegration, PausedDownloadResumesWithRangeInANewDownloader) {
  const std::uint64_t stop_at = 512u * 1024u;
  std::uint64_t written_at_pause = 0;
  {
    auto first = dock();
    transfer::TransferControl control;
    transfer::DownloaderOptions options;
    options.progress_interval_ms = 0;  // a report per piece, so the pause comes right after stop_at
    auto paused = request("/files/");
    paused.on_progress = [&](const transfer::TransferProgress& progress) {
      if (progress.bytes >= stop_at && !control.stop_requested()) {
        written_at_pause = progress.bytes;
        control.pause();
      }
    };
    auto result = first->downloader(options).download(paused, &control);
    CHECK(result.error == TransferError::kPaused);
  }
  LONGS_EQUAL(written_at_pause, std::filesystem::file_size(directory.file("fw.bin.part")));
  auto result = dock()->downloader().download(request("/files/"));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(206, result.http_status);
  LONGS_EQUAL(written_at_pause, result.resumed_from);
  LONGS_EQUAL(content.size() - written_at_pause, result.fetched);
  CHECK(test::file_bytes(directory.file("fw.bin")) == content);
}

// The downloading process is killed with SIGKILL mid-body; the next one continues from the bytes it had written.
TEST(DownloadIntegration, ResumesAfterKillMinus9) {
  int pipe_fds[2];
  CHECK(::pipe(pipe_fds) == 0);
  pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    Dock doomed(certificates.ca_file, directory.file("store"));
    transfer::DownloaderOptions options;
    options.progress_interval_ms = 0;
    auto killed = request("/files/");
    killed.on_progress = [&](const transfer::TransferProgress& progress) {
      if (progress.bytes < 700u * 1024u) return;
      std::uint64_t bytes = progress.bytes;
      if (::write(pipe_fds[1], &bytes, sizeof bytes) != sizeof bytes) ::_exit(2);
      for (;;) ::pause();  // held here until the parent kills the process
    };
    static_cast<void>(doomed.downloader(options).download(killed));
    ::_exit(1);  // only reached when the callback never ran
  }
  ::close(pipe_fds[1]);
  std::uint64_t written_before_kill = 0;
  bool told = ::read(pipe_fds[0], &written_before_kill, sizeof written_before_kill) == sizeof written_before_kill;
  ::close(pipe_fds[0]);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK_TEXT(told, "the downloading child never reported its progress");
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  auto result = dock()->downloader().download(request("/files/"));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(206, result.http_status);
  // Every byte the killed process had written is kept: nothing written is fetched again.
  LONGS_EQUAL(written_before_kill, result.resumed_from);
  LONGS_EQUAL(content.size() - written_before_kill, result.fetched);
  CHECK(test::file_bytes(directory.file("fw.bin")) == content);
}

TEST(DownloadIntegration, ServerIgnoringRangeRestartsFromZero) {
  {
    auto first = dock();
    transfer::TransferControl control;
    transfer::DownloaderOptions options;
    options.progress_interval_ms = 0;
    auto paused = request("/files/");
    paused.on_progress = [&](const transfer::TransferProgress& progress) {
      if (progress.bytes >= 256u * 1024u) control.pause();
    };
    CHECK(first->downloader(options).download(paused, &control).error == TransferError::kPaused);
  }
  auto result = dock()->downloader().download(request("/norange/"));
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(200, result.http_status);
  LONGS_EQUAL(content.size(), result.fetched);
  CHECK(test::file_bytes(directory.file("fw.bin")) == content);
}

TEST(DownloadIntegration, BearerTokenIsSentAndARefusalIsACredentialError) {
  auto refused = dock()->downloader().download(request("/auth/"));
  CHECK(refused.error == TransferError::kCredentials);
  LONGS_EQUAL(401, refused.http_status);
  LONGS_EQUAL(1, refused.attempts);
  auto with_token = request("/auth/");
  with_token.headers.push_back({"Authorization", "Bearer " + test::NginxOptions().bearer_token});
  auto result = dock()->downloader().download(with_token);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  CHECK(test::file_bytes(directory.file("fw.bin")) == content);
}
