// A job ends once: a second terminal report is refused with a Status and publishes nothing, however the handle
// was obtained (a copy, a second start_job()) and from whichever threads it is finished.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

TEST_GROUP(JobFinishOnce) {
  std::unique_ptr<ClientRig> rig;
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<Job> jobs;  // what the handler obtained, in order

  void setup() override {
    rig = std::make_unique<ClientRig>();
    rig->cloud.set_auto_events_reply(true);
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }

  // Calls cover_open and waits until its handler handed over `count` jobs in all.
  void call_and_wait(std::size_t count, const std::string& tid) {
    rig->cloud.call_service(kDockSn, "cover_open", "{}", tid);
    std::unique_lock<std::mutex> lock(mutex);
    CHECK_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return jobs.size() >= count; }));
  }
  void keep(Job job) {
    std::lock_guard<std::mutex> lock(mutex);
    jobs.push_back(std::move(job));
    cv.notify_all();
  }
  std::size_t terminal_events(const std::string& tid) {
    return rig->cloud.count("/events", [&](const Seen& seen) {
      return seen.str("bid") == "bid-" + tid && seen.payload.find(R"("status":"in_progress")") == std::string::npos;
    });
  }
};

TEST(JobFinishOnce, SecondStartJobGivesTheSameJobWhichEndsOnce) {
  rig->client->on_service("cover_open", [&](ServiceCall& call) {
    Job first = call.start_job();
    keep(first);
    keep(call.start_job());
    return ServiceReply::ok();
  });
  call_and_wait(2, "twice");
  CHECK_TRUE(jobs[0].finish(JobStatus::kOk).is_ok());
  Status second = jobs[1].finish(JobStatus::kFailed, 1);
  CHECK_FALSE(second.is_ok());
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(second.code()));
  // A later call's job event is the barrier: it is published after anything the refused finish could have sent.
  call_and_wait(4, "barrier");
  CHECK_TRUE(jobs[2].finish(JobStatus::kOk).is_ok());
  CHECK_TRUE(rig->cloud.wait_count("/events", 1, [](const Seen& s) { return s.str("bid") == "bid-barrier"; }));
  LONGS_EQUAL(1, terminal_events("twice"));
}

TEST(JobFinishOnce, RacingFinishesPublishOneTerminalEvent) {
  rig->client->on_service("cover_open", [&](ServiceCall& call) {
    keep(call.start_job());
    return ServiceReply::ok();
  });
  constexpr int kJobs = 50;
  for (int i = 0; i < kJobs; ++i) call_and_wait(static_cast<std::size_t>(i + 1), "race-" + std::to_string(i));
  std::atomic<int> accepted{0};
  std::atomic<int> ready{0};
  auto finisher = [&](JobStatus status) {
    ++ready;
    while (ready.load() < 2) std::this_thread::yield();  // start together, to make the race likely
    for (auto& job : jobs) {
      if (job.finish(status).is_ok()) ++accepted;
    }
  };
  std::thread a(finisher, JobStatus::kOk);
  std::thread b(finisher, JobStatus::kCanceled);
  a.join();
  b.join();
  LONGS_EQUAL(kJobs, accepted.load());
  CHECK_TRUE(rig->cloud.wait_count("/events", kJobs));
  for (int i = 0; i < kJobs; ++i) LONGS_EQUAL(1, terminal_events("race-" + std::to_string(i)));
}
