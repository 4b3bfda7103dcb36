// The inbound budget: a payload over the size limit is refused before it is copied or queued; a client's queued
// inbound messages are bounded in count and bytes by its own share, so a dock flooded while its handler is busy
// drops (and counts) its own messages without starving the other docks of the process.
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>

#include "client_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::eventually;
using docklink::test::kDockSn;
using docklink::test::Seen;
using docklink::test::tid_is;

namespace {
constexpr const char* kOtherSn = "DOCK0002";

std::string service_payload(const std::string& tid, const std::string& filler = {}) {
  return R"({"tid":")" + tid + R"(","bid":"b","timestamp":1,"method":"busy","data":{"f":")" + filler + "\"}}";
}
}  // namespace

TEST_GROUP(InboundBudget) {
  std::unique_ptr<ClientRig> rig;
  std::unique_ptr<ports::LoopbackTransport> other_transport;
  std::unique_ptr<Client> other;
  std::mutex mutex;
  std::condition_variable cv;
  bool release = false;
  int handled = 0;

  void setup() override {
    rig = std::make_unique<ClientRig>();
    // The dock under test: its handler holds its strand until the test releases it, so its messages pile up.
    rig->client->on_service("busy", [this](ServiceCall&) {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait_for(lock, std::chrono::seconds(5), [this] { return release; });
      ++handled;
      return ServiceReply::ok();
    });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override {
    unblock();
    other.reset();
    other_transport.reset();
    rig.reset();
  }
  void unblock() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      release = true;
    }
    cv.notify_all();
  }
  void start_other_dock() {
    other_transport = std::make_unique<ports::LoopbackTransport>(rig->broker, kOtherSn);
    port::Platform platform{&rig->clock, &rig->random, &rig->log, nullptr};
    other = std::move(Client::create(docklink::test::dock_options(kOtherSn), platform, *other_transport, rig->runtime))
                .value();
    other->on_service("fast", [](ServiceCall&) { return ServiceReply::ok(); });
    CHECK_TRUE(other->start().is_ok());
    CHECK_FALSE(rig->cloud.wait_for(std::string(kOtherSn) + "/status").topic.empty());
  }
  void send_busy(const std::string& tid, const std::string& filler = {}) {
    rig->cloud.publish(std::string("thing/product/") + kDockSn + "/services", service_payload(tid, filler));
  }
};

TEST(InboundBudget, OversizedPayloadIsRefusedOnArrivalNotAfterQueueing) {
  send_busy("first");  // occupies the strand
  send_busy("huge", std::string(defaults::kMaxInboundPayloadBytes + 1, 'x'));
  // Counted while the strand is still busy: the size was checked before anything was queued.
  CHECK_TRUE(eventually([this] { return rig->client->counters().malformed == 1; }));
  std::lock_guard<std::mutex> lock(mutex);
  LONGS_EQUAL(0, handled);
}

TEST(InboundBudget, QueuedBytesOfOneClientAreBounded) {
  const std::string filler(200 * 1024, 'x');  // under the payload limit, but 20 of them are 4 MB
  send_busy("first");
  for (int i = 0; i < 20; ++i) send_busy("big-" + std::to_string(i), filler);
  CHECK_TRUE(eventually([this] { return rig->client->counters().inbound_dropped >= 1; }));
  unblock();
  // Every message was either handled or dropped (and counted), none lost silently.
  CHECK_TRUE(eventually([this] {
    std::lock_guard<std::mutex> lock(mutex);
    return static_cast<std::uint64_t>(handled) + rig->client->counters().inbound_dropped == 21;
  }));
}

TEST(InboundBudget, FloodedDockDoesNotStarveAnotherDock) {
  start_other_dock();
  send_busy("first");
  const int flood = static_cast<int>(defaults::kInboundQueueCapacity) + 50;
  for (int i = 0; i < flood; ++i) send_busy("flood-" + std::to_string(i));
  std::string tid = rig->cloud.call_service(kOtherSn, "fast", "{}");
  Seen reply = rig->cloud.wait_for("/services_reply", tid_is(tid));
  CHECK_FALSE(reply.topic.empty());
  LONGS_EQUAL(0, other->counters().inbound_dropped);
  CHECK(rig->client->counters().inbound_dropped >= 1);
  // The drops are logged, but not once per message.
  auto lines = rig->log.lines();
  auto drop_lines = std::count_if(lines.begin(), lines.end(), [](const std::string& line) {
    return line.find("inbound message") != std::string::npos && line.find("dropped") != std::string::npos;
  });
  CHECK(drop_lines >= 1);
  CHECK(drop_lines <= 3);
}
