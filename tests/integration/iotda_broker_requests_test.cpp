// What the cloud asks of a dock on the IoTDA profile, over the private mosquitto that checks its signed password:
// a long command answered at once whose progress follows as device messages carrying the job's id, a property set
// run through the same setters as on a DJI cloud and a property get answered from what the dock reported, and the
// device shadow read after connecting with its desired values applied through those setters.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <rapidjson/document.h>

#include "docklink/client.hpp"
#include "docklink/service.hpp"
#include "iotda_broker_cloud.hpp"
#include "iotda_broker_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;
using namespace docklink::test::iotda_broker;

namespace {

rapidjson::Document parsed(const std::string& payload) {
  rapidjson::Document document;
  document.Parse(payload.c_str());
  return document;
}

/// A device message of the job `method` whose content says `status`.
bool job_message(const std::string& topic, const std::string& payload, const char* method, const char* status) {
  if (topic.find("/messages/up") == std::string::npos) return false;
  rapidjson::Document message = parsed(payload);
  return message.IsObject() && message.HasMember("name") && std::string(message["name"].GetString()) == method &&
         payload.find(std::string("\"status\":\"") + status + "\"") != std::string::npos;
}

}  // namespace

TEST_GROUP_BASE(IotdaBrokerRequests, IotdaBrokerFixture) {
  std::unique_ptr<IotdaBrokerCloud> cloud;
  std::mutex mutex;
  Job job;  ///< The running cover_open; guarded by mutex.

  void setup() override {
    IotdaBrokerFixture::setup();
    cloud = std::make_unique<IotdaBrokerCloud>(broker->uri(), kGatewayId);
    CHECK_TRUE(cloud->connect());  // before the dock: it sees the dock's first uplinks (the shadow request)
    make_dock();
  }
  void teardown() override {
    client.reset();  // no handler runs into a finished test
    cloud.reset();   // before the broker goes
    IotdaBrokerFixture::teardown();
  }
};

TEST(IotdaBrokerRequests, ALongCommandIsAnsweredAtOnceAndItsProgressFollowsAsMessagesWithTheJobId) {
  client->on_service("cover_open", [this](ServiceCall& call) {
    std::lock_guard<std::mutex> lock(mutex);
    job = call.start_job();
    static_cast<void>(job.progress(10, "open_cover"));  // the cloud's message is the check
    return ServiceReply::ok();
  });
  start_dock();
  CHECK_FALSE(cloud->wait_for("events/up").empty());
  cloud->publish("commands/request_id=job-1", R"({"service_id":"dock","command_name":"cover_open","paras":{}})");
  // The command response comes while the job still runs: IoTDA's 20 s deadline never waits for the cover.
  rapidjson::Document response = parsed(cloud->wait_for("commands/response/request_id=job-1"));
  CHECK_TRUE(response.IsObject());
  LONGS_EQUAL(0, response["result_code"].GetInt());
  STRCMP_EQUAL("in_progress", response["paras"]["status"].GetString());
  {
    std::lock_guard<std::mutex> lock(mutex);
    CHECK_TRUE(job.progress(60, "open_cover"));
    CHECK_TRUE(job.finish(JobStatus::kOk));
  }
  auto done = cloud->first_matching([](const std::string& topic, const std::string& payload) {
    return job_message(topic, payload, "cover_open", "ok");
  });
  rapidjson::Document last = parsed(done.second);
  CHECK_TRUE(last.IsObject());
  STRCMP_EQUAL("job-1", last["content"]["bid"].GetString());  // the job's id: the command's request id
  LONGS_EQUAL(100, last["content"]["data"]["output"]["progress"]["percent"].GetInt());
  // Every progress message went out, in order, each with the same job id. Each asks for an acknowledgement, which
  // nobody sends here, so one may come again (same message id): counted once.
  std::set<std::string> ids;
  int previous = -1;
  for (const std::string& payload : cloud->payloads("messages/up")) {
    rapidjson::Document message = parsed(payload);
    if (!message.IsObject() || std::string(message["name"].GetString()) != "cover_open") continue;
    STRCMP_EQUAL("job-1", message["content"]["bid"].GetString());
    if (!ids.insert(message["id"].GetString()).second) continue;
    const int percent = message["content"]["data"]["output"]["progress"]["percent"].GetInt();
    CHECK_TRUE(percent > previous);
    previous = percent;
  }
  LONGS_EQUAL(3, ids.size());
}

TEST(IotdaBrokerRequests, APropertySetRunsTheSettersAndAPropertyGetAnswersWhatTheDockReported) {
  std::atomic<int> height{0};
  client->on_property_set("height_limit", [&](const rapidjson::Value& value) {
    height = value.GetInt();
    // As firmware does: the new value is reported, and so becomes what a property get answers.
    static_cast<void>(client->publish_state(kDockSn, "{\"height_limit\":" + std::to_string(value.GetInt()) + "}"));
    return 0;
  });
  client->on_property_set("night_lights_state", [](const rapidjson::Value&) { return 1; });  // the light refuses
  start_dock();
  CHECK_FALSE(cloud->wait_for("events/up").empty());
  cloud->publish("properties/set/request_id=set-1",
                 R"({"services":[{"service_id":"dock","properties":{"height_limit":120}}]})");
  rapidjson::Document ok = parsed(cloud->wait_for("properties/set/response/request_id=set-1"));
  CHECK_TRUE(ok.IsObject());
  LONGS_EQUAL(0, ok["result_code"].GetInt());
  LONGS_EQUAL(120, height.load());
  // One result for the whole set: a refused leaf fails it and is named, the other leaf still applies.
  cloud->publish("properties/set/request_id=set-2",
                 R"({"services":[{"service_id":"dock","properties":{"height_limit":150}},)"
                 R"({"service_id":"dock_light","properties":{"night_lights_state":1}}]})");
  rapidjson::Document refused = parsed(cloud->wait_for("properties/set/response/request_id=set-2"));
  CHECK_TRUE(refused.IsObject());
  CHECK_TRUE(refused["result_code"].GetInt() != 0);
  CHECK(std::string(refused["result_desc"].GetString()).find("night_lights_state") != std::string::npos);
  LONGS_EQUAL(150, height.load());
  // The report of 150 reached the cloud, so the dock's store holds it when the get comes.
  CHECK_TRUE(cloud->wait_until([](const std::string& topic, const std::string& payload) {
    return topic.find("/properties/report") != std::string::npos &&
           payload.find("\"height_limit\":150") != std::string::npos;
  }));
  cloud->publish("properties/get/request_id=get-1", R"({"service_id":"dock"})");
  rapidjson::Document got = parsed(cloud->wait_for("properties/get/response/request_id=get-1"));
  CHECK_TRUE(got.IsObject());
  LONGS_EQUAL(1, got["services"].Size());
  STRCMP_EQUAL("dock", got["services"][0]["service_id"].GetString());
  LONGS_EQUAL(150, got["services"][0]["properties"]["height_limit"].GetInt());
}

TEST(IotdaBrokerRequests, TheShadowIsReadAfterConnectingAndItsDesiredValuesGoThroughTheSetters) {
  std::condition_variable applied;
  int height = 0;  // guarded by mutex, as setter_runs
  int setter_runs = 0;
  client->on_property_set("height_limit", [&](const rapidjson::Value& value) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++setter_runs;
      height = value.GetInt();
    }
    applied.notify_all();
    return 0;
  });
  start_dock();
  auto request = cloud->first_matching([](const std::string& topic, const std::string&) {
    return topic.find("/shadow/get/request_id=") != std::string::npos;
  });
  CHECK_FALSE(request.first.empty());
  const std::string request_id = request.first.substr(request.first.find('=') + 1);
  cloud->publish("shadow/get/response/request_id=" + request_id,
                 R"({"object_device_id":")" + std::string(kGatewayId) +
                     R"(","shadow":[{"service_id":"dock","desired":{"properties":{"height_limit":175},)"
                     R"("event_time":"20261207T010000Z"},"reported":{"properties":{"height_limit":100}},)"
                     R"("version":4}]})");
  // Applied on the dock's user strand: the setter says when.
  std::unique_lock<std::mutex> lock(mutex);
  CHECK_TRUE(applied.wait_for(lock, std::chrono::seconds(10), [&] { return height == 175; }));
  LONGS_EQUAL(1, setter_runs);
  LONGS_EQUAL(0, cloud->count("properties/set/response/request_id=" + request_id));  // a shadow is not a set
}
