// TransferManager: jobs on its bounded worker pool, callbacks on the Runtime's dispatcher threads, cancel and pause
// per transfer, the shared bandwidth limit, and shutdown. Every step awaits an event; nothing sleeps.
#include <atomic>
#include <memory>
#include <thread>

#include "download_fixture.hpp"
#include "transfer_manager_fixture.hpp"

#include <CppUTest/TestHarness.h>

using docklink::Runtime;
using docklink::Status;
using docklink::StatusCode;
using docklink::test::DownloadWorld;
using docklink::test::Events;
using docklink::test::FakeFile;
using docklink::test::GateJob;
using docklink::test::pattern_content;
using docklink::test::SteadyClock;
using docklink::transfer::DownloadResult;
using docklink::transfer::TransferCallbacks;
using docklink::transfer::TransferError;
using docklink::transfer::TransferId;
using docklink::transfer::TransferManager;
using docklink::transfer::TransferManagerOptions;
using docklink::transfer::TransferOutcome;
using docklink::transfer::TransferProgress;

namespace {

struct ManagerWorld {
  explicit ManagerWorld(unsigned workers = 2, std::size_t max_transfers = 64) {
    TransferManagerOptions options;
    options.worker_threads = workers;
    options.max_transfers = max_transfers;
    options.download = download.options;  // the manual waiter: pacing and backoff move the manual clock
    runtime = std::make_unique<Runtime>(clock);
    manager = std::make_unique<TransferManager>(*runtime, download.ports(), options);
  }

  std::unique_ptr<GateJob> gate(const std::string& name = "job") {
    return std::make_unique<GateJob>(
        events, [this] { return released.load(); }, name);
  }
  // Callbacks that count "done" and "done.<error>" and keep the outcome.
  TransferCallbacks counting(const std::string& name) {
    TransferCallbacks callbacks;
    callbacks.on_done = [this, name](TransferId, const TransferOutcome& outcome) {
      events.bump(std::string("done.") + name + "." + docklink::transfer::to_string(outcome.error));
      events.bump("done");
    };
    return callbacks;
  }

  DownloadWorld download;
  SteadyClock clock;
  Events events;
  std::atomic<bool> released{false};
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<TransferManager> manager;
};

}  // namespace

TEST_GROUP(TransferManager){};

TEST(TransferManager, DownloadRunsOnAWorkerAndReportsOnADispatcherThread) {
  ManagerWorld world;
  std::string content = pattern_content(50'000);
  std::thread::id worker, progress_thread, done_thread;
  world.download.http.then([&](const docklink::port::HttpRequest& request) {
    worker = std::this_thread::get_id();
    return docklink::test::serve(FakeFile{content}, request);
  });
  auto request = world.download.request_for(content);
  TransferProgress last;
  request.on_progress = [&](const TransferProgress& progress) {
    progress_thread = std::this_thread::get_id();
    last = progress;
  };
  DownloadResult result;
  auto id = world.manager->submit_download(request, [&](TransferId, const DownloadResult& done) {
    done_thread = std::this_thread::get_id();
    result = done;
    world.events.bump("done");
  });
  CHECK_TRUE(id.is_ok());
  CHECK_TRUE(world.events.await("done", 1));
  CHECK_TRUE(result.status.is_ok());
  STRCMP_EQUAL(content.c_str(), docklink::test::read_file(world.download.destination()).c_str());
  LONGS_EQUAL(50'000, last.bytes);  // the final report came before the result
  CHECK(worker != std::thread::id() && worker != std::this_thread::get_id());
  CHECK(done_thread != worker && done_thread != std::this_thread::get_id());
  CHECK(progress_thread != worker && progress_thread != std::this_thread::get_id());
  LONGS_EQUAL(0, world.manager->active());
}

TEST(TransferManager, AtMostWorkerThreadsTransfersRunAtOnce) {
  ManagerWorld world(2);
  for (int i = 0; i < 5; ++i) CHECK_TRUE(world.manager->submit(world.gate(), world.counting("gate")).is_ok());
  CHECK_TRUE(world.events.await("started", 2));
  LONGS_EQUAL(5, world.manager->active());
  world.released = true;
  CHECK_TRUE(world.events.await("done.gate.none", 5));
  LONGS_EQUAL(2, world.events.count("peak"));  // two ran together, never a third
}

TEST(TransferManager, WorkerThreadsAreBoundedByTheDocumentedLimit) {
  ManagerWorld world(1000);
  int jobs = static_cast<int>(docklink::defaults::kTransferMaxWorkerThreads) + 2;
  for (int i = 0; i < jobs; ++i) CHECK_TRUE(world.manager->submit(world.gate(), world.counting("gate")).is_ok());
  CHECK_TRUE(world.events.await("started", static_cast<int>(docklink::defaults::kTransferMaxWorkerThreads)));
  world.released = true;
  CHECK_TRUE(world.events.await("done", jobs));
  LONGS_EQUAL(docklink::defaults::kTransferMaxWorkerThreads, world.events.count("peak"));
}

TEST(TransferManager, QueuedTransfersBeyondTheLimitAreRefused) {
  ManagerWorld world(1, 2);
  CHECK_TRUE(world.manager->submit(world.gate()).is_ok());
  CHECK_TRUE(world.manager->submit(world.gate()).is_ok());
  auto refused = world.manager->submit(world.gate());
  CHECK_TRUE(refused.status().code() == StatusCode::kBusy);
  CHECK_TRUE(world.manager->submit(nullptr).status().code() == StatusCode::kInvalidArgument);
}

TEST(TransferManager, CancelAndPauseQueuedAndRunningTransfers) {
  ManagerWorld world(1);
  auto first = world.manager->submit(world.gate("first"), world.counting("first")).value();
  auto second = world.manager->submit(world.gate("second"), world.counting("second")).value();
  auto third = world.manager->submit(world.gate("third"), world.counting("third")).value();
  CHECK_TRUE(world.events.await("started.first", 1));
  CHECK_TRUE(world.manager->cancel(second).is_ok());  // queued: ends without running
  CHECK_TRUE(world.events.await("done.second.cancelled", 1));
  CHECK_TRUE(world.manager->pause(first).is_ok());  // running: the job sees a pause
  CHECK_TRUE(world.events.await("done.first.paused", 1));
  CHECK_TRUE(world.events.await("started.third", 1));
  CHECK_TRUE(world.manager->cancel(third).is_ok());
  CHECK_TRUE(world.events.await("done.third.cancelled", 1));
  LONGS_EQUAL(0, world.events.count("started.second"));
  CHECK_TRUE(world.manager->cancel(second).code() == StatusCode::kNotFound);
  CHECK_TRUE(world.manager->pause(12345).code() == StatusCode::kNotFound);
}

TEST(TransferManager, CallbacksMayCallTheManager) {
  ManagerWorld world(1);
  world.released = true;
  TransferCallbacks callbacks;
  callbacks.on_done = [&](TransferId, const TransferOutcome&) {
    // Not under a lock of the manager: these calls would deadlock if it were.
    static_cast<void>(world.manager->cancel(999));  // kNotFound; only the call matters
    CHECK_TRUE(world.manager->submit(world.gate("next"), world.counting("next")).is_ok());
    world.events.bump("first done");
  };
  CHECK_TRUE(world.manager->submit(world.gate("first"), callbacks).is_ok());
  CHECK_TRUE(world.events.await("done.next.none", 1));
  LONGS_EQUAL(1, world.events.count("first done"));
}

TEST(TransferManager, ProgressWaitingForTheDispatcherIsCoalescedToTheLatest) {
  ManagerWorld world(1);
  std::vector<std::uint64_t> seen;  // written on the callback strand only, read after "done"
  // A job that reports once, waits until that report's callback is running (and held), then reports 100 more.
  class ReportingJob : public docklink::transfer::TransferJob {
   public:
    explicit ReportingJob(Events& events) : events_(events) {}
    TransferOutcome run(docklink::transfer::TransferContext& context) override {
      context.report_progress({1, 100, 0});
      events_.await("progress callback entered", 1);
      for (std::uint64_t bytes = 2; bytes <= 100; ++bytes) context.report_progress({bytes, 100, 0});
      events_.bump("reports made");
      return {Status::ok(), TransferError::kNone, 100};
    }

   private:
    Events& events_;
  };
  TransferCallbacks callbacks;
  callbacks.on_progress = [&](const TransferProgress& progress) {
    seen.push_back(progress.bytes);
    world.events.bump("progress callback entered");
    CHECK_TRUE(world.events.await("release progress", 1));  // held until the test lets it go
  };
  callbacks.on_done = [&](TransferId, const TransferOutcome&) { world.events.bump("done"); };
  CHECK_TRUE(world.manager->submit(std::make_unique<ReportingJob>(world.events), callbacks).is_ok());
  CHECK_TRUE(world.events.await("reports made", 1));  // all 99 piled up behind the held callback
  world.events.bump("release progress");
  CHECK_TRUE(world.events.await("done", 1));
  LONGS_EQUAL(2, seen.size());  // the first report, then only the latest of the 99 that piled up
  LONGS_EQUAL(1, seen[0]);
  LONGS_EQUAL(100, seen[1]);
}

TEST(TransferManager, DownloadsShareTheManagersChangeableBandwidthLimit) {
  ManagerWorld world(1);
  world.manager->set_bandwidth_limit(2000);
  LONGS_EQUAL(2000, world.manager->bandwidth().limit());
  std::string content = pattern_content(10'000);
  world.download.http.then_serve(FakeFile{content});
  std::int64_t start = world.download.clock.monotonic_ms();
  DownloadResult result;
  CHECK_TRUE(world.manager
                 ->submit_download(world.download.request_for(content),
                                   [&](TransferId, const DownloadResult& done) {
                                     result = done;
                                     world.events.bump("done");
                                   })
                 .is_ok());
  CHECK_TRUE(world.events.await("done", 1));
  CHECK_TRUE(result.status.is_ok());
  LONGS_EQUAL(5000, world.download.clock.monotonic_ms() - start);  // 10,000 bytes at 2,000 B/s, manual clock
}

TEST(TransferManager, ShutdownPausesRunningDropsQueuedAndNothingIsCalledAfterIt) {
  ManagerWorld world(1);
  CHECK_TRUE(world.manager->submit(world.gate("running"), world.counting("running")).is_ok());
  CHECK_TRUE(world.manager->submit(world.gate("queued"), world.counting("queued")).is_ok());
  CHECK_TRUE(world.events.await("started.running", 1));
  world.manager->shutdown();
  LONGS_EQUAL(0, world.events.count("running"));  // the running job returned: the workers were joined
  int done_at_shutdown = world.events.count("done");
  CHECK(world.events.count("done.running.cancelled") == 0);  // paused (partial data kept), never cancelled
  CHECK_TRUE(world.manager->submit(world.gate()).status().code() == StatusCode::kShutdown);
  world.manager.reset();
  world.runtime.reset();  // joins the dispatcher threads: a late callback would have run by now
  LONGS_EQUAL(done_at_shutdown, world.events.count("done"));
  LONGS_EQUAL(0, world.events.count("started.queued"));
}
