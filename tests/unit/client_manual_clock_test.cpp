// Retries and backoff of the client on a manual clock: timers fire only when the test moves time, so every resend
// is checked at its exact due time (one millisecond early: not yet; at the due time: sent), without real waiting.
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "client_fixture.hpp"
#include "reply_catcher.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ManualClientRig;
using docklink::test::ReplyCatcher;

TEST_GROUP(ClientManualClock) {
  std::unique_ptr<ManualClientRig> rig;
  void teardown() override { rig.reset(); }

  // Walks the gaps between sends of messages on `suffix`: 1 ms short of each gap nothing more went out, at the gap
  // the next copy does.
  void expect_sends_after(const char* suffix, const std::vector<std::int64_t>& gaps) {
    std::size_t sent = rig->cloud.count(suffix);
    for (std::int64_t gap : gaps) {
      CHECK_TRUE(rig->advance(gap - 1));
      LONGS_EQUAL(sent, rig->cloud.count(suffix));
      CHECK_TRUE(rig->advance(1));
      CHECK_TRUE(rig->cloud.wait_count(suffix, ++sent));
    }
  }
};

TEST(ClientManualClock, TopologyResendsDoubleUpToTheirLimit) {
  ClientOptions options = docklink::test::dock_options();  // reply timeout 60 ms
  options.topology_resend_max_ms = 200;
  rig = std::make_unique<ManualClientRig>(options);
  rig->cloud.set_auto_status_reply(false);
  CHECK_TRUE(rig->start_and_wait_topology());
  expect_sends_after("/status", {60, 120, 200, 200});
}

TEST(ClientManualClock, UnansweredEventIsResentEveryReplyTimeoutThenTimesOut) {
  rig = std::make_unique<ManualClientRig>();  // reply timeout 60 ms, 2 retries
  CHECK_TRUE(rig->start_and_wait_topology());
  ReplyCatcher catcher;
  EventOptions options;
  options.need_reply = true;
  CHECK_TRUE(rig->client->publish_event("hms", "{}", options, catcher.callback()).is_ok());
  CHECK_TRUE(rig->cloud.wait_count("/events", 1));
  expect_sends_after("/events", {60, 60});
  CHECK_TRUE(rig->advance(59));
  CHECK_FALSE(catcher.done());
  CHECK_TRUE(rig->advance(1));
  CHECK_TRUE(catcher.wait());
  CHECK(catcher.reply->status.code() == StatusCode::kTimeout);
  LONGS_EQUAL(3, rig->cloud.count("/events"));
}
