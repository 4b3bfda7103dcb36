// Which failures a download retries (network errors, timeouts, HTTP 5xx: with backoff, resuming from the bytes on
// disk) and which it never retries (4xx, credentials), and how a run is cancelled.
#include <filesystem>

#include "download_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::Status;
using docklink::StatusCode;
using docklink::test::DownloadWorld;
using docklink::test::FakeFile;
using docklink::test::FakeResponse;
using docklink::test::pattern_content;
using docklink::test::read_file;
using docklink::test::request_header;
using docklink::transfer::TransferControl;
using docklink::transfer::TransferError;

namespace {

FakeResponse status_only(int status) {
  FakeResponse response;
  response.status = status;
  response.body = "<Error><Code>Something</Code></Error>";  // an error body must never reach the file
  return response;
}

FakeResponse failure(StatusCode code) {
  FakeResponse response;
  response.failure = Status(code, "scripted failure");
  return response;
}

}  // namespace

TEST_GROUP(DownloadRetry){};

TEST(DownloadRetry, CutRefusedAnd503AreRetriedWithBackoffFromTheBytesOnDisk) {
  DownloadWorld world;
  std::string content = pattern_content(9000);
  FakeResponse cut;
  cut.headers = {{"ETag", "\"v1\""}, {"Content-Length", "9000"}};
  cut.body = content;
  cut.cut_after = 3000;
  world.http.then(cut);
  world.http.then(failure(StatusCode::kIo));       // connection refused
  world.http.then(status_only(503));               // overloaded
  world.http.then(failure(StatusCode::kTimeout));  // stalled body
  world.http.then_serve(FakeFile{content});
  auto result = world.downloader().download(world.request_for(content));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(5, result.attempts);
  LONGS_EQUAL(9000, result.fetched);  // the 3000 bytes before the cut were kept, not fetched again
  // No random port: each delay is half its bound; bounds double from 1 s.
  LONGS_EQUAL(4, world.waiter.waits.size());
  LONGS_EQUAL(500, world.waiter.waits[0]);
  LONGS_EQUAL(1000, world.waiter.waits[1]);
  LONGS_EQUAL(2000, world.waiter.waits[2]);
  LONGS_EQUAL(4000, world.waiter.waits[3]);
  for (std::size_t i = 1; i < 5; ++i) {
    STRCMP_EQUAL("bytes=3000-", request_header(world.http.requests()[i], "Range").value_or("").c_str());
  }
  CHECK_TRUE(read_file(world.destination()) == content);
}

TEST(DownloadRetry, BackoffBoundIsCapped) {
  DownloadWorld world;
  world.options.max_retries = 8;
  world.options.backoff_max_ms = 5000;
  for (int i = 0; i < 9; ++i) world.http.then(status_only(502));
  auto result = world.downloader().download(world.request_for("abc"));
  CHECK(result.error == TransferError::kHttpStatus);
  LONGS_EQUAL(502, result.http_status);
  LONGS_EQUAL(9, result.attempts);
  LONGS_EQUAL(8, world.waiter.waits.size());
  LONGS_EQUAL(2500, world.waiter.waits.back());
}

TEST(DownloadRetry, RetriesEndAfterTheLimit) {
  DownloadWorld world;
  world.options.max_retries = 2;
  for (int i = 0; i < 5; ++i) world.http.then(status_only(503));
  auto result = world.downloader().download(world.request_for("abc"));
  CHECK(result.error == TransferError::kHttpStatus);
  CHECK(result.status.code() == StatusCode::kRejected);
  LONGS_EQUAL(3, result.attempts);
  LONGS_EQUAL(2, world.http.pending());
}

TEST(DownloadRetry, NotFoundIsNeverRetried) {
  DownloadWorld world;
  world.http.then(status_only(404));
  world.http.then(status_only(404));
  auto result = world.downloader().download(world.request_for("abc"));
  CHECK(result.error == TransferError::kHttpStatus);
  LONGS_EQUAL(404, result.http_status);
  LONGS_EQUAL(1, result.attempts);
  LONGS_EQUAL(0, world.waiter.waits.size());
  CHECK_FALSE(std::filesystem::exists(world.destination()));
}

TEST(DownloadRetry, ForbiddenAndUnauthorizedAreCredentialErrorsNeverRetried) {
  for (int status : {401, 403}) {
    DownloadWorld world;
    world.http.then(status_only(status));
    world.http.then(status_only(status));
    auto result = world.downloader().download(world.request_for("abc"));
    CHECK(result.error == TransferError::kCredentials);
    CHECK(result.status.code() == StatusCode::kAuth);
    LONGS_EQUAL(status, result.http_status);
    LONGS_EQUAL(1, result.attempts);
  }
}

TEST(DownloadRetry, ExpiredUrlKeepsTheBytesFetchedSoFar) {
  DownloadWorld world;
  world.options.max_retries = 1;
  std::string content = pattern_content(6000);
  FakeResponse cut;
  cut.headers = {{"ETag", "\"v1\""}, {"Content-Length", "6000"}};
  cut.body = content;
  cut.cut_after = 2000;
  world.http.then(cut);
  world.http.then(status_only(403));  // the pre-signed URL expired meanwhile
  auto result = world.downloader().download(world.request_for(content));
  CHECK(result.error == TransferError::kCredentials);
  LONGS_EQUAL(2000, std::filesystem::file_size(world.part()));
  CHECK_TRUE(world.has_record());  // a new URL for the same file resumes
}

TEST(DownloadRetry, CancelDeletesPartialFileAndRecord) {
  DownloadWorld world;
  std::string content = pattern_content(10'000);
  TransferControl control;
  world.http.then_serve(FakeFile{content});
  world.http.on_piece([&](std::size_t done) {
    if (done >= 3000) control.cancel();
  });
  auto result = world.downloader().download(world.request_for(content), &control);
  CHECK(result.error == TransferError::kCancelled);
  CHECK(result.status.code() == StatusCode::kShutdown);
  LONGS_EQUAL(3000, result.fetched);
  CHECK_FALSE(std::filesystem::exists(world.part()));
  CHECK_FALSE(std::filesystem::exists(world.destination()));
  CHECK_FALSE(world.has_record());
}

TEST(DownloadRetry, CancelDuringBackoffEndsTheRun) {
  DownloadWorld world;
  TransferControl control;
  world.http.then(status_only(503));
  world.http.then(status_only(503));
  struct CancellingWaiter : docklink::transfer::TransferWaiter {
    void wait(std::int64_t, TransferControl& control) override { control.cancel(); }
  } waiter;
  world.options.waiter = &waiter;
  auto result = world.downloader().download(world.request_for("abc"), &control);
  CHECK(result.error == TransferError::kCancelled);
  LONGS_EQUAL(1, result.attempts);
}

TEST(DownloadRetry, RealTimeWaitEndsAtOnceWhenStopped) {
  TransferControl control;
  control.pause();
  control.wait_ms(3'600'000);  // would block the test for an hour if the stop were missed
  CHECK_TRUE(control.stop_requested());
  CHECK_FALSE(control.cancelled());
}
