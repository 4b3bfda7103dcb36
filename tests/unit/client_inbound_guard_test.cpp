#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::eventually;

namespace {

/// A transport that is always connected, records publishes, and lets the test inject inbound messages that
/// no broker would route to this client (foreign SNs, uplink-only topics).
class InjectingTransport : public port::Transport {
 public:
  void set_listener(port::TransportListener* listener) override { listener_ = listener; }
  Status connect() override {
    if (listener_ != nullptr) listener_->on_connection_changed(true, Status::ok(), false);
    return Status::ok();
  }
  void disconnect(std::chrono::milliseconds) override {}
  bool is_connected() const override { return true; }
  Status publish(std::string_view topic, std::string_view, port::Qos qos, port::PublishId id) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      published_topics_.emplace_back(topic);
    }
    if (qos != port::Qos::kAtMostOnce && listener_ != nullptr) listener_->on_publish_done(id, Status::ok());
    return Status::ok();
  }
  Status subscribe(std::string_view, port::Qos) override { return Status::ok(); }
  Status unsubscribe(std::string_view) override { return Status::ok(); }
  void inject(const std::string& topic, const std::string& payload) { listener_->on_message(topic, payload); }
  std::vector<std::string> published_topics() {
    std::lock_guard<std::mutex> lock(mutex_);
    return published_topics_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> published_topics_;
  port::TransportListener* listener_ = nullptr;
};

}  // namespace

TEST_GROUP(ClientInboundGuard) {
  docklink::test::SteadyClock clock;
  docklink::test::SeededRandom random;
  docklink::test::RecordingLog log;
  InjectingTransport transport;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<Client> client;
  int handled = 0;
  void setup() override {
    runtime = std::make_unique<Runtime>(clock);
    port::Platform platform{&clock, &random, &log, nullptr};
    client = std::move(Client::create(docklink::test::dock_options(), platform, transport, *runtime)).value();
    client->on_service("cover_open", [this](ServiceCall&) {
      ++handled;
      return ServiceReply::ok();
    });
    CHECK_TRUE(client->start().is_ok());
    CHECK_TRUE(eventually([this] { return client->connected(); }));
  }
  void teardown() override {
    client.reset();
    runtime.reset();
  }
};

TEST(ClientInboundGuard, ServiceForAnotherSnIsIgnoredAndCounted) {
  transport.inject("thing/product/SOMEONE_ELSE/services",
                   R"({"tid":"t","bid":"b","timestamp":1,"method":"cover_open","data":{}})");
  CHECK_TRUE(eventually([this] { return client->counters().foreign_sn == 1; }));
  LONGS_EQUAL(0, handled);
}

TEST(ClientInboundGuard, UplinkOnlyTopicAndUnknownTopicAreCountedAsMalformed) {
  transport.inject(std::string("thing/product/") + docklink::test::kDockSn + "/osd", R"({"data":{}})");
  transport.inject("not/a/dji/topic", "{}");
  CHECK_TRUE(eventually([this] { return client->counters().malformed == 2; }));
  LONGS_EQUAL(0, handled);
}

TEST(ClientInboundGuard, MalformedPropertySetWithTidIsAnswered) {
  transport.inject(std::string("thing/product/") + docklink::test::kDockSn + "/property/set",
                   R"({"tid":"p","bid":"b","timestamp":"yesterday","data":{}})");
  CHECK_TRUE(eventually([this] {
    for (const auto& topic : transport.published_topics()) {
      if (topic.find("/property/set_reply") != std::string::npos) return true;
    }
    return false;
  }));
}

// ---- commands on the aircraft's topics (issue #12, item 5) --------------------------------------------------

TEST(ClientInboundGuard, ServiceOnTheAircraftSnIsRefusedNotRun) {
  transport.inject(std::string("thing/product/") + docklink::test::kAircraftSn + "/services",
                   R"({"tid":"air-1","bid":"b","timestamp":1,"method":"cover_open","data":{}})");
  CHECK_TRUE(eventually([this] { return client->counters().misrouted == 1; }));
  CHECK_TRUE(eventually([this] {
    for (const auto& topic : transport.published_topics()) {
      if (topic == std::string("thing/product/") + docklink::test::kDockSn + "/services_reply") return true;
    }
    return false;
  }));
  LONGS_EQUAL(0, handled);
}

TEST(ClientInboundGuard, RepliesAndDrcOnTheAircraftSnAreCountedAsMisrouted) {
  const std::string aircraft = std::string("thing/product/") + docklink::test::kAircraftSn;
  transport.inject(aircraft + "/events_reply", R"({"tid":"x","bid":"b","timestamp":1,"data":{"result":0}})");
  transport.inject(aircraft + "/requests_reply", R"({"tid":"x","bid":"b","timestamp":1,"data":{"result":0}})");
  transport.inject(aircraft + "/drc/down", R"({"method":"stick_control","seq":1,"data":{}})");
  transport.inject(std::string("sys/product/") + docklink::test::kAircraftSn + "/status_reply",
                   R"({"tid":"x","bid":"b","timestamp":1,"data":{"result":0}})");
  CHECK_TRUE(eventually([this] { return client->counters().misrouted == 4; }));
}
