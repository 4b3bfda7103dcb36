// A client on the IoTDA profile over the loopback broker: the same handlers, setters and publish calls as on DJI,
// and IoTDA's topics and shapes on the wire.
#include <atomic>
#include <memory>
#include <string>

#include "client_fixture.hpp"
#include "docklink/iotda/profile.hpp"
#include "docklink/result_codes.hpp"
#include "iotda_loopback_cloud.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::IotdaSeen;

namespace {

constexpr const char* kGatewayId = "prod_DOCK0001";
constexpr const char* kAircraftId = "prod_UAV0001";

std::shared_ptr<const CloudProfile> dock_profile() {
  iotda::ProfileOptions options;
  options.gateway_sn = test::kDockSn;
  options.gateway_device_id = kGatewayId;
  options.sub_device_ids[test::kAircraftSn] = kAircraftId;
  options.property_services["cover_state"] = "dock_cover";
  auto made = iotda::make_profile(options);
  return made ? made.value() : nullptr;
}

ClientOptions iotda_options() {
  ClientOptions options = test::dock_options();
  options.profile = dock_profile();
  return options;
}

std::string member(const IotdaSeen& seen, const char* name) {
  if (!seen.json->IsObject() || !seen.json->HasMember(name) || !(*seen.json)[name].IsString()) return {};
  return (*seen.json)[name].GetString();
}

}  // namespace

TEST_GROUP(ProfileIotdaClient) {
  std::unique_ptr<test::ClientRig> rig;
  std::unique_ptr<test::IotdaLoopbackCloud> cloud;
  void setup() override {
    rig = std::make_unique<test::ClientRig>(iotda_options());
    cloud = std::make_unique<test::IotdaLoopbackCloud>(rig->broker, kGatewayId);
  }
  void teardown() override {
    cloud.reset();  // unsubscribes from the rig's broker
    rig.reset();
  }
  void start() {
    CHECK_TRUE(rig->client->start());
    CHECK_TRUE(test::eventually([&] { return rig->client->counters().connections_ready == 1; }));
  }
};

TEST(ProfileIotdaClient, MakeProfileRefusesAnInvalidDeviceId) {
  iotda::ProfileOptions options;
  options.gateway_sn = test::kDockSn;
  options.gateway_device_id = "bad/id";
  CHECK_FALSE(iotda::make_profile(options));
  options.gateway_device_id = kGatewayId;
  options.sub_device_ids[test::kAircraftSn] = "";
  CHECK_FALSE(iotda::make_profile(options));
}

TEST(ProfileIotdaClient, TopologyIsASubDeviceStatusEventAndItsResponseMakesTheConnectionReady) {
  start();
  IotdaSeen status = cloud->wait_for("events/up");
  const rapidjson::Value& event = (*status.json)["services"][0];
  STRCMP_EQUAL("$sub_device_manager", event["service_id"].GetString());
  STRCMP_EQUAL("sub_device_update_status", event["event_type"].GetString());
  STRCMP_EQUAL(kAircraftId, event["paras"]["device_statuses"][0]["device_id"].GetString());
  STRCMP_EQUAL("ONLINE", event["paras"]["device_statuses"][0]["status"].GetString());
  LONGS_EQUAL(0, rig->client->counters().replies_pending);
}

TEST(ProfileIotdaClient, DockOsdIsAPropertyReportWithOneServicePerModule) {
  start();
  CHECK_TRUE(rig->client->publish_osd(test::kDockSn, R"({"cover_state":1,"mode_code":2})"));
  IotdaSeen report = cloud->wait_for("properties/report");
  const rapidjson::Value& services = (*report.json)["services"];
  LONGS_EQUAL(2, services.Size());
  STRCMP_EQUAL("dock", services[0]["service_id"].GetString());
  LONGS_EQUAL(2, services[0]["properties"]["mode_code"].GetInt());
  STRCMP_EQUAL("dock_cover", services[1]["service_id"].GetString());
  LONGS_EQUAL(1, services[1]["properties"]["cover_state"].GetInt());
  // The millisecond form, e.g. 2026-12-07T01:02:03.456Z.
  const std::string time = services[0]["event_time"].GetString();
  LONGS_EQUAL(24, time.size());
  CHECK_EQUAL('T', time[10]);
  CHECK_EQUAL('Z', time[23]);
}

TEST(ProfileIotdaClient, AircraftOsdIsTheGatewaysSubDeviceReport) {
  start();
  CHECK_TRUE(rig->client->publish_osd(test::kAircraftSn, R"({"height":12.5})"));
  IotdaSeen report = cloud->wait_for("gateway/sub_devices/properties/report");
  const rapidjson::Value& device = (*report.json)["devices"][0];
  STRCMP_EQUAL(kAircraftId, device["device_id"].GetString());
  STRCMP_EQUAL("aircraft", device["services"][0]["service_id"].GetString());
  DOUBLES_EQUAL(12.5, device["services"][0]["properties"]["height"].GetDouble(), 1e-9);
}

TEST(ProfileIotdaClient, CommandRunsTheServiceHandlerAndIsAnsweredOnItsRequestId) {
  std::atomic<int> calls{0};
  rig->client->on_service("debug_mode_open", [&](ServiceCall& call) {
    ++calls;
    STRCMP_EQUAL("r-1", std::string(call.tid()).c_str());
    LONGS_EQUAL(3, call.data()["level"].GetInt());
    return ServiceReply::ok(R"({"opened":true})");
  });
  start();
  const std::string command = R"({"service_id":"dock","command_name":"debug_mode_open","paras":{"level":3}})";
  cloud->publish("commands/request_id=r-1", command);
  IotdaSeen response = cloud->wait_for("commands/response/request_id=r-1");
  LONGS_EQUAL(0, (*response.json)["result_code"].GetInt());
  CHECK_TRUE((*response.json)["paras"]["opened"].GetBool());
  // IoTDA redelivers a command whose PUBACK it missed: answered again from the first answer, not run twice.
  cloud->publish("commands/request_id=r-1", command);
  CHECK_TRUE(cloud->wait_for("commands/response/request_id=r-1", {}, 2).json != nullptr);
  LONGS_EQUAL(1, calls.load());
  LONGS_EQUAL(1, rig->client->counters().duplicates);
}

TEST(ProfileIotdaClient, UnknownAndMalformedCommandsAreAnsweredWithAnError) {
  start();
  cloud->publish("commands/request_id=r-2", R"({"command_name":"no_such_method","paras":{}})");
  IotdaSeen unknown = cloud->wait_for("commands/response/request_id=r-2");
  LONGS_EQUAL(result_code::kInvalidParameter, (*unknown.json)["result_code"].GetInt());
  cloud->publish("commands/request_id=r-3", R"({"paras":{}})");
  IotdaSeen malformed = cloud->wait_for("commands/response/request_id=r-3");
  LONGS_EQUAL(result_code::kInvalidParameter, (*malformed.json)["result_code"].GetInt());
  CHECK_TRUE((*malformed.json)["paras"]["message"].IsString());
}

TEST(ProfileIotdaClient, JobAnswersAtOnceAndReportsProgressAsAMessageWithTheCommandsBid) {
  rig->client->on_service("cover_open", [](ServiceCall& call) {
    static_cast<void>(call.start_job().progress(40, "open_cover"));  // the message below is the check
    return ServiceReply::ok();
  });
  start();
  cloud->publish("commands/request_id=r-4", R"({"command_name":"cover_open","paras":{}})");
  IotdaSeen response = cloud->wait_for("commands/response/request_id=r-4");
  STRCMP_EQUAL("in_progress", (*response.json)["paras"]["status"].GetString());
  IotdaSeen progress =
      cloud->wait_for("messages/up", [](const IotdaSeen& seen) { return member(seen, "name") == "cover_open"; });
  const rapidjson::Value& content = (*progress.json)["content"];
  STRCMP_EQUAL("r-4", content["bid"].GetString());
  LONGS_EQUAL(40, content["data"]["output"]["progress"]["percent"].GetInt());
}

TEST(ProfileIotdaClient, PropertySetRunsTheSettersAndAnswersOneResult) {
  std::atomic<int> height{0};
  rig->client->on_property_set("height_limit", [&](const rapidjson::Value& value) {
    height = value.GetInt();
    return 0;
  });
  rig->client->on_property_set("night_lights_state", [](const rapidjson::Value&) { return 1; });
  start();
  cloud->publish("properties/set/request_id=s-1",
                 R"({"services":[{"service_id":"dock","properties":{"height_limit":120}}]})");
  IotdaSeen ok = cloud->wait_for("properties/set/response/request_id=s-1");
  LONGS_EQUAL(0, (*ok.json)["result_code"].GetInt());
  LONGS_EQUAL(120, height.load());
  cloud->publish("properties/set/request_id=s-2",
                 R"({"services":[{"service_id":"dock","properties":{"height_limit":100}},)"
                 R"({"service_id":"dock_light","properties":{"night_lights_state":1}}]})");
  IotdaSeen failed = cloud->wait_for("properties/set/response/request_id=s-2");
  LONGS_EQUAL(1, (*failed.json)["result_code"].GetInt());
  CHECK(std::string((*failed.json)["result_desc"].GetString()).find("night_lights_state") != std::string::npos);
  LONGS_EQUAL(100, height.load());
}

TEST(ProfileIotdaClient, AcknowledgedEventCompletesWhenAnAdapterAnswersWithTheSameId) {
  start();
  std::atomic<int> result{-100};
  EventOptions options;
  options.need_reply = true;
  CHECK_TRUE(rig->client->publish_event("file_upload_callback", R"({"file":{}})", options,
                                        [&](const Reply& reply) { result = reply.result; }));
  IotdaSeen message = cloud->wait_for("messages/up");
  STRCMP_EQUAL("file_upload_callback", member(message, "name").c_str());
  const std::string id = member(message, "id");
  STRCMP_EQUAL(id.c_str(), (*message.json)["content"]["tid"].GetString());
  cloud->publish("messages/down",
                 R"({"name":"file_upload_callback_reply","id":")" + id + R"(","content":{"result":0}})");
  CHECK_TRUE(test::eventually([&] { return result.load() == 0; }));
}

TEST(ProfileIotdaClient, DrcIsRefusedOnIotda) {
  start();
  Status status = rig->client->publish_drc("heart_beat", "{}");
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(status.code()));
}

TEST(ProfileIotdaClient, PropertyGetIsAnsweredFromTheLastReportedValues) {
  start();
  CHECK_TRUE(rig->client->publish_osd(test::kDockSn, R"({"cover_state":1,"mode_code":2})"));
  CHECK_TRUE(rig->client->publish_state(test::kDockSn, R"({"mode_code":4})"));
  CHECK_TRUE(cloud->wait_for("properties/report", {}, 2).json != nullptr);
  cloud->publish("properties/get/request_id=g-1", R"({"service_id":"dock"})");
  IotdaSeen dock = cloud->wait_for("properties/get/response/request_id=g-1");
  CHECK_TRUE(dock.json != nullptr);
  const rapidjson::Value& services = (*dock.json)["services"];
  LONGS_EQUAL(1, services.Size());
  STRCMP_EQUAL("dock", services[0]["service_id"].GetString());
  LONGS_EQUAL(4, services[0]["properties"]["mode_code"].GetInt());  // the newer value
  CHECK_FALSE(services[0]["properties"].HasMember("cover_state"));  // another service
  cloud->publish("properties/get/request_id=g-2", R"({"object_device_id":"prod_UAV0001"})");
  IotdaSeen aircraft = cloud->wait_for("properties/get/response/request_id=g-2");
  CHECK_TRUE(aircraft.json != nullptr);
  LONGS_EQUAL(0, (*aircraft.json)["services"].Size());  // nothing reported for it yet
}

TEST(ProfileIotdaClient, ACommandRedeliveredAfterAReconnectMinutesLaterIsNotRunAgain) {
  std::atomic<int> calls{0};
  rig->client->on_service("cover_close", [&](ServiceCall&) {
    ++calls;
    return ServiceReply::ok();
  });
  start();
  const std::string command = R"({"command_name":"cover_close","paras":{}})";
  cloud->publish("commands/request_id=r-5", command);
  CHECK_TRUE(cloud->wait_for("commands/response/request_id=r-5").json != nullptr);
  // IoTDA re-sends unacknowledged downlinks for about a minute after a reconnect, longer than a DJI cloud's
  // retries: 5 minutes later (past the DJI tid window) the repeat is still answered from the first answer.
  rig->clock.advance(5 * 60 * 1000);
  cloud->publish("commands/request_id=r-5", command);
  IotdaSeen again = cloud->wait_for("commands/response/request_id=r-5", {}, 2);
  CHECK_TRUE(again.json != nullptr);
  LONGS_EQUAL(0, (*again.json)["result_code"].GetInt());
  LONGS_EQUAL(1, calls.load());
  LONGS_EQUAL(1, rig->client->counters().duplicates);
}

TEST(ProfileIotdaClient, APropertySetRedeliveredRunsItsSetterOnceAndIsAnsweredAgain) {
  std::atomic<int> calls{0};
  rig->client->on_property_set("height_limit", [&](const rapidjson::Value&) {
    ++calls;
    return 0;
  });
  start();
  const std::string set = R"({"services":[{"service_id":"dock","properties":{"height_limit":90}}]})";
  cloud->publish("properties/set/request_id=s-3", set);
  IotdaSeen first = cloud->wait_for("properties/set/response/request_id=s-3");
  cloud->publish("properties/set/request_id=s-3", set);
  IotdaSeen second = cloud->wait_for("properties/set/response/request_id=s-3", {}, 2);
  CHECK_TRUE(second.json != nullptr);
  STRCMP_EQUAL(first.payload.c_str(), second.payload.c_str());
  LONGS_EQUAL(1, calls.load());
  // The same request id on a command is another request: it runs.
  cloud->publish("commands/request_id=s-3", R"({"command_name":"no_such_method","paras":{}})");
  CHECK_TRUE(cloud->wait_for("commands/response/request_id=s-3").json != nullptr);
  LONGS_EQUAL(1, rig->client->counters().duplicates);
}

TEST(ProfileIotdaClient, ARefusedPropertySetRedeliveredIsRefusedAgainWithoutRunningAnything) {
  start();
  // A set without properties is refused as a whole before any setter is looked at.
  const std::string set = R"({"services":[{"service_id":"dock","properties":{}}]})";
  cloud->publish("properties/set/request_id=s-4", set);
  IotdaSeen first = cloud->wait_for("properties/set/response/request_id=s-4");
  CHECK_TRUE(first.json != nullptr);
  CHECK((*first.json)["result_code"].GetInt() != 0);
  cloud->publish("properties/set/request_id=s-4", set);
  IotdaSeen second = cloud->wait_for("properties/set/response/request_id=s-4", {}, 2);
  STRCMP_EQUAL(first.payload.c_str(), second.payload.c_str());
  LONGS_EQUAL(1, rig->client->counters().duplicates);
}

TEST(ProfileIotdaClient, ABurstOfReportsKeepsIotdasRateAndEndsWithTheLatestValues) {
  start();
  const std::int64_t began = rig->clock.monotonic_ms();
  for (int i = 1; i <= 300; ++i) {
    CHECK_TRUE(rig->client->publish_osd(test::kDockSn, "{\"mode_code\":" + std::to_string(i) + "}"));
  }
  // Not one report refused: the newest arrives, those the pace had no room for were replaced by newer ones...
  IotdaSeen last = cloud->wait_for("properties/report", [](const IotdaSeen& seen) {
    return seen.payload.find("\"mode_code\":300}") != std::string::npos;
  });
  CHECK_TRUE(last.json != nullptr);
  const std::size_t reports = cloud->count("properties/report");
  const std::int64_t elapsed_ms = rig->clock.monotonic_ms() - began;  // read after counting: a bound, not a race
  // ...and no more went out than a burst and the steady pace allow in the time the client's clock says passed.
  const std::int64_t allowed =
      defaults::kIotdaUplinkBurst + defaults::kIotdaUplinkMessagesPerSecond * elapsed_ms / 1000 + 1;
  CHECK_TRUE(static_cast<std::int64_t>(reports) <= allowed);
  CHECK_TRUE(reports < 300);
  CHECK_TRUE(rig->client->counters().osd_coalesced > 0);
}

TEST(ProfileIotdaClient, AReportOverIotdasSizeLimitIsRefusedWithAStatusThatSaysSo) {
  start();
  const std::string big = "{\"firmware_log\":\"" + std::string(defaults::kIotdaMaxPayloadBytes, 'x') + "\"}";
  Status status = rig->client->publish_osd(test::kDockSn, big);
  LONGS_EQUAL(static_cast<int>(StatusCode::kInvalidArgument), static_cast<int>(status.code()));
  CHECK(status.message().find("IoTDA") != std::string::npos);
}

TEST(ProfileIotdaClient, TimeSyncAfterConnectGivesTheApplicationTheCloudsClockOffset) {
  const std::int64_t started = rig->clock.monotonic_ms();
  start();
  IotdaSeen request = cloud->wait_for(
      "events/up", [](const IotdaSeen& seen) { return seen.payload.find("time_sync_request") != std::string::npos; });
  CHECK_TRUE(request.json != nullptr);
  const rapidjson::Value& event = (*request.json)["services"][0];
  STRCMP_EQUAL("$time_sync", event["service_id"].GetString());
  const std::int64_t sent = event["paras"]["device_send_time"].GetInt64();
  LONGS_EQUAL(static_cast<int>(StatusCode::kNotFound),
              static_cast<int>(rig->client->cloud_clock_offset().status().code()));
  auto answer = [&](std::int64_t device_send) {
    cloud->publish("events/down", R"({"services":[{"service_id":"$time_sync","event_type":"time_sync_response",)"
                                  R"("paras":{"device_send_time":)" +
                                      std::to_string(device_send) + R"(,"server_recv_time":)" +
                                      std::to_string(sent + 10000) + R"(,"server_send_time":)" +
                                      std::to_string(sent + 10002) + "}}]}");
  };
  answer(sent - 1);  // not the request this connection sent: its round trip is unknown, so it is ignored
  CHECK_TRUE(test::eventually([&] { return rig->client->counters().unmatched_replies == 1; }));
  CHECK_FALSE(rig->client->cloud_clock_offset());
  // The cloud is 10 s ahead and took 2 ms to answer: offset = 10001 ms less half the round trip.
  answer(sent);
  CHECK_TRUE(test::eventually([&] { return static_cast<bool>(rig->client->cloud_clock_offset()); }));
  const std::int64_t round_trip_at_most = rig->clock.monotonic_ms() - started;
  const std::int64_t offset = rig->client->cloud_clock_offset().value();
  CHECK_TRUE(offset <= 10001);
  CHECK_TRUE(offset >= 10001 - round_trip_at_most / 2 - 1);
}

TEST(ProfileIotdaClient, ARemovedAircraftIsReportedOfflineUntilItComesBack) {
  start();
  auto status_event = [](const IotdaSeen& seen) {
    return seen.payload.find("\"sub_device_update_status\"") != std::string::npos;
  };
  CHECK_TRUE(rig->client->set_sub_devices({}));
  IotdaSeen gone = cloud->wait_for("events/up", status_event, 2);
  CHECK_TRUE(gone.json != nullptr);
  const rapidjson::Value& offline = (*gone.json)["services"][0]["paras"]["device_statuses"];
  LONGS_EQUAL(1, offline.Size());
  STRCMP_EQUAL(kAircraftId, offline[0]["device_id"].GetString());
  STRCMP_EQUAL("OFFLINE", offline[0]["status"].GetString());
  CHECK_TRUE(rig->client->set_sub_devices(test::dock_options().sub_devices));
  IotdaSeen back = cloud->wait_for("events/up", status_event, 3);
  CHECK_TRUE(back.json != nullptr);
  const rapidjson::Value& online = (*back.json)["services"][0]["paras"]["device_statuses"];
  LONGS_EQUAL(1, online.Size());
  STRCMP_EQUAL("ONLINE", online[0]["status"].GetString());
}

TEST(ProfileIotdaClient, TheShadowIsReadAtConnectAndItsDesiredValuesGoThroughTheSetters) {
  std::atomic<int> height{0};
  rig->client->on_property_set("height_limit", [&](const rapidjson::Value& value) {
    height = value.GetInt();
    return 0;
  });
  start();
  IotdaSeen request = cloud->wait_for("shadow/get/", [](const IotdaSeen& seen) {
    return seen.topic.find("/shadow/get/request_id=") != std::string::npos;
  });
  CHECK_TRUE(request.json != nullptr);
  const std::string request_id = request.topic.substr(request.topic.find('=') + 1);
  auto answer = [&](const std::string& id, int desired) {
    cloud->publish("shadow/get/response/request_id=" + id,
                   R"({"object_device_id":")" + std::string(kGatewayId) +
                       R"(","shadow":[{"service_id":"dock","desired":{"properties":{"height_limit":)" +
                       std::to_string(desired) +
                       R"(},"event_time":"20261207T010000Z"},"reported":{"properties":{"height_limit":100}},)"
                       R"("version":3}]})");
  };
  answer("not-asked", 99);  // a shadow this connection did not ask for is not applied
  CHECK_TRUE(test::eventually([&] { return rig->client->counters().unmatched_replies == 1; }));
  answer(request_id, 150);
  CHECK_TRUE(test::eventually([&] { return height.load() == 150; }));
  // Nothing answers a shadow: the cloud asked nothing.
  LONGS_EQUAL(0, cloud->count("properties/set/response/"));
}
