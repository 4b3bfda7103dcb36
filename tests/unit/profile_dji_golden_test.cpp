// The DJI profile on the wire, byte for byte: a scripted session (topology, OSD, state, events, a request, a
// service, a job, a property set, a refused service) on a fixed wall clock and a seeded random source, compared
// with the bytes the client sent before the protocol moved behind CloudProfile (captured then, pasted here).
#include <memory>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/client.hpp"
#include "docklink/ports/loopback.hpp"
#include "fake_cloud.hpp"
#include "test_clock.hpp"
#include "test_ports.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::Seen;

namespace {

/// Real monotonic time (the timers need it), a wall clock that never moves (every timestamp is the same).
class FixedWallClock : public test::SteadyClock {
 public:
  std::int64_t wall_ms() const override { return 1700000000123; }
};

struct Wire {
  const char* topic;
  const char* payload;
};

// Captured from the client before the move (commit 200dfb3), with the script below.
const std::vector<Wire> kGolden = {
#include "profile_dji_golden.inc"
};

}  // namespace

TEST_GROUP(ProfileDjiGolden) {
  FixedWallClock clock;
  test::SeededRandom random{20261207};
  test::RecordingLog log;
  ports::LoopbackBroker broker;
  std::unique_ptr<test::FakeCloud> cloud;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<ports::LoopbackTransport> transport;
  std::unique_ptr<Client> client;

  void setup() override {
    cloud = std::make_unique<test::FakeCloud>(broker);
    cloud->set_auto_events_reply(true);
    runtime = std::make_unique<Runtime>(clock);
    ClientOptions options = test::dock_options();
    options.reply_timeout_ms = 5000;  // no resend may slip into the recording
    transport = std::make_unique<ports::LoopbackTransport>(broker, options.gateway.sn);
    auto created =
        Client::create(std::move(options), port::Platform{&clock, &random, &log, nullptr}, *transport, *runtime);
    client = std::move(created).value();
  }
  void teardown() override {
    client.reset();
    runtime.reset();
    cloud.reset();
  }

  void run_script() {
    client->on_service("debug_mode_open", [](ServiceCall&) { return ServiceReply::ok(R"({"note":"a\"b"})"); });
    client->on_service("cover_open", [](ServiceCall& call) {
      Job job = call.start_job();
      static_cast<void>(job.progress(40, "open_cover"));  // the status is checked by the recording
      return ServiceReply::ok();
    });
    client->on_property_set("height_limit", [](const rapidjson::Value&) { return 0; });
    CHECK_TRUE(client->start());
    CHECK_FALSE(cloud->wait_for("/status").topic.empty());
    CHECK_TRUE(client->publish_osd(test::kDockSn, R"({"mode_code":1})"));
    CHECK_TRUE(cloud->wait_count("/osd", 1));
    CHECK_TRUE(client->publish_osd(test::kAircraftSn, R"({"height":12.5})"));
    CHECK_TRUE(cloud->wait_count("/osd", 2));
    CHECK_TRUE(client->publish_state(test::kDockSn, R"({"firmware_version":"1.2"})"));
    CHECK_TRUE(cloud->wait_count("/state", 1));
    CHECK_TRUE(client->publish_event("hms", R"({"list":[]})"));
    CHECK_TRUE(cloud->wait_count("/events", 1));
    EventOptions acknowledged;
    acknowledged.need_reply = true;
    acknowledged.bid = "bid-fixed";
    CHECK_TRUE(client->publish_event("file_upload_callback", R"({"file":{}})", acknowledged));
    CHECK_TRUE(cloud->wait_count("/events", 2));
    CHECK_TRUE(client->send_request("config", R"({"config_type":"json"})", [](const Reply&) {}));
    CHECK_TRUE(cloud->wait_count("/requests", 1));
    cloud->publish("thing/product/DOCK0001/services",
                   R"({"tid":"t-1","bid":"b-1","timestamp":1,"method":"debug_mode_open","data":{}})");
    CHECK_TRUE(cloud->wait_count("/services_reply", 1));
    cloud->publish("thing/product/DOCK0001/services",
                   R"({"tid":"t-2","bid":"b-2","timestamp":1,"method":"cover_open","data":{}})");
    CHECK_TRUE(cloud->wait_count("/services_reply", 2));
    cloud->publish("thing/product/DOCK0001/services",
                   R"({"tid":"t-3","bid":"b-3","timestamp":1,"method":"no_such_method","data":{}})");
    CHECK_TRUE(cloud->wait_count("/services_reply", 3));
    cloud->publish("thing/product/DOCK0001/services", R"({"tid":"t-4","bid":7,"method":"x"})");
    CHECK_TRUE(cloud->wait_count("/services_reply", 4));
    cloud->publish("thing/product/DOCK0001/property/set",
                   R"({"tid":"t-5","bid":"b-5","timestamp":1,"data":{"height_limit":120,"unknown":{"x":1}}})");
    CHECK_TRUE(cloud->wait_count("/property/set_reply", 1));
  }
};

TEST(ProfileDjiGolden, ScriptedSessionIsByteIdenticalToTheCapture) {
  run_script();
  std::vector<Seen> seen;
  for (Seen& message : cloud->all()) {
    // Only what the dock sent: the cloud's own downlinks and automatic replies are not the client's bytes.
    if (message.topic.find("_reply") != std::string::npos &&
        message.topic.find("services_reply") == std::string::npos &&
        message.topic.find("set_reply") == std::string::npos) {
      continue;
    }
    if (message.topic.size() > 9 && (message.topic.compare(message.topic.size() - 9, 9, "/services") == 0 ||
                                     message.topic.compare(message.topic.size() - 13, 13, "/property/set") == 0)) {
      continue;
    }
    seen.push_back(std::move(message));
  }
  if (kGolden.empty()) {  // capture mode: print the recording in the form of the .inc file
    for (const Seen& message : seen) {
      std::string escaped;
      for (char c : message.payload) {
        if (c == '"' || c == '\\') escaped += '\\';
        escaped += c;
      }
      printf("    {\"%s\",\n     \"%s\"},\n", message.topic.c_str(), escaped.c_str());
    }
  }
  LONGS_EQUAL(kGolden.size(), seen.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    STRCMP_EQUAL(kGolden[i].topic, seen[i].topic.c_str());
    STRCMP_EQUAL(kGolden[i].payload, seen[i].payload.c_str());
  }
}
