// Uploads as TransferManager jobs: run on a worker with progress and result on the dispatcher, paced by the
// process-wide limit and their own (the stricter wins), paused with their resume record kept, cancelled with the
// multipart upload aborted. Scripted HTTP and a manual clock; every step awaits an event, nothing sleeps.
#include <atomic>
#include <memory>
#include <thread>

#include "transfer_manager_fixture.hpp"
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::test::Events;
using docklink::test::FakeResponse;
using docklink::test::kMiB;
using docklink::test::s3_created;
using docklink::test::s3_ok;
using docklink::test::s3_part_stored;
using docklink::test::SteadyClock;
using docklink::test::UploadWorld;
using docklink::transfer::TransferError;
using docklink::transfer::TransferId;
using docklink::transfer::TransferManager;
using docklink::transfer::TransferManagerOptions;
using docklink::transfer::TransferProgress;
using docklink::transfer::UploadResult;

namespace {

struct ManagerUploadWorld {
  ManagerUploadWorld() {
    TransferManagerOptions options;
    options.worker_threads = 1;
    options.download.waiter = &upload.waiter;  // uploads take it too: pacing and backoff move the manual clock
    runtime = std::make_unique<docklink::Runtime>(steady);
    manager = std::make_unique<TransferManager>(
        *runtime,
        docklink::transfer::DownloaderPorts{&upload.http, &upload.hashing, &upload.clock, &upload.store, &upload.log,
                                            nullptr},
        options);
  }
  ~ManagerUploadWorld() { manager->shutdown(); }

  // Submits `request`; the result lands in `result` and "done" is bumped.
  TransferId submit(docklink::transfer::UploadRequest request) {
    auto id = manager->submit_upload(std::move(request), [this](TransferId, const UploadResult& done) {
      result = done;
      done_thread = std::this_thread::get_id();
      events.bump("done");
    });
    CHECK_TRUE(id.is_ok());
    submitted = id.value();
    events.bump("submitted");
    return id.value();
  }
  // An answer that stops the running upload (pause or cancel) while its request is on the way.
  std::function<FakeResponse(const docklink::port::HttpRequest&)> stop_then(bool cancel, FakeResponse answer) {
    return [this, cancel, answer](const docklink::port::HttpRequest&) {
      CHECK_TRUE(events.await("submitted", 1));
      CHECK_TRUE((cancel ? manager->cancel(submitted) : manager->pause(submitted)).is_ok());
      return answer;
    };
  }

  UploadWorld upload;
  SteadyClock steady;
  Events events;
  std::unique_ptr<docklink::Runtime> runtime;
  std::unique_ptr<TransferManager> manager;
  UploadResult result;
  std::thread::id done_thread;
  std::atomic<TransferId> submitted{0};
};

}  // namespace

TEST_GROUP(TransferManagerUpload){};

TEST(TransferManagerUpload, UploadRunsOnAWorkerWithProgressAndResultOnTheDispatcher) {
  ManagerUploadWorld world;
  std::thread::id worker, progress_thread;
  world.upload.http.then([&](const docklink::port::HttpRequest&) {
    worker = std::this_thread::get_id();
    return s3_ok({{"ETag", "\"e1\""}});
  });
  auto request = world.upload.request_for(50'000);
  TransferProgress last;
  request.on_progress = [&](const TransferProgress& progress) {
    progress_thread = std::this_thread::get_id();
    last = progress;
  };
  world.submit(request);
  CHECK_TRUE(world.events.await("done", 1));
  CHECK_TEXT(world.result.status.is_ok(), world.result.status.to_string().c_str());
  STRCMP_EQUAL("\"e1\"", world.result.etag.c_str());
  CHECK(world.upload.http.bodies()[0] == world.upload.content);
  LONGS_EQUAL(50'000, last.bytes);  // the final report came before the result
  CHECK(worker != std::thread::id() && worker != std::this_thread::get_id());
  CHECK(world.done_thread != worker && progress_thread != worker);
  LONGS_EQUAL(0, world.manager->active());
}

TEST(TransferManagerUpload, ProcessWideLimitPacesTheBody) {
  ManagerUploadWorld world;
  world.manager->set_bandwidth_limit(2000);
  world.upload.http.then(s3_ok());
  std::int64_t start = world.upload.clock.monotonic_ms();
  world.submit(world.upload.request_for(10'000));
  CHECK_TRUE(world.events.await("done", 1));
  CHECK_TRUE(world.result.status.is_ok());
  LONGS_EQUAL(5000, world.upload.clock.monotonic_ms() - start);  // 10,000 bytes at 2,000 B/s, manual clock
}

TEST(TransferManagerUpload, OwnLimitWinsWhenStricterThanTheProcessWideOne) {
  ManagerUploadWorld world;
  world.manager->set_bandwidth_limit(2000);
  world.upload.http.then(s3_ok());
  auto request = world.upload.request_for(10'000);
  request.max_bytes_per_second = 1000;
  std::int64_t start = world.upload.clock.monotonic_ms();
  world.submit(request);
  CHECK_TRUE(world.events.await("done", 1));
  CHECK_TRUE(world.result.status.is_ok());
  LONGS_EQUAL(10'000, world.upload.clock.monotonic_ms() - start);
}

TEST(TransferManagerUpload, PauseKeepsTheResumeRecordForALaterRun) {
  ManagerUploadWorld world;
  world.upload.http.then(s3_created("UP-7"));
  world.upload.http.then(world.stop_then(false, s3_part_stored(1)));
  world.submit(world.upload.request_for(5 * kMiB + 3));
  CHECK_TRUE(world.events.await("done", 1));
  CHECK(world.result.error == TransferError::kPaused);
  CHECK_TRUE(world.upload.has_record());
  LONGS_EQUAL(2, world.upload.http.requests().size());  // no abort
}

TEST(TransferManagerUpload, CancelAbortsTheMultipartUploadAndDropsItsRecord) {
  ManagerUploadWorld world;
  world.upload.http.then(s3_created("UP-8"));
  world.upload.http.then(world.stop_then(true, s3_part_stored(1)));
  world.upload.http.then(s3_ok());  // AbortMultipartUpload
  world.submit(world.upload.request_for(5 * kMiB + 3));
  CHECK_TRUE(world.events.await("done", 1));
  CHECK(world.result.error == TransferError::kCancelled);
  CHECK_FALSE(world.upload.has_record());
  auto sent = world.upload.http.requests();
  LONGS_EQUAL(3, sent.size());
  STRCMP_EQUAL("DELETE", sent.back().method.c_str());
}
