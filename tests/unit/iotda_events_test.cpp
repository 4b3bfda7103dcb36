// IoTDA system events: the shared envelope for $ota, $file_manager, $time_sync and $sub_device_manager, both ways,
// malformed envelopes refused by field, and the time-sync arithmetic.
#include <string>
#include <vector>

#include "docklink/iotda/events.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::iotda::EventEntry;
using docklink::iotda::SystemEvents;
namespace service = docklink::iotda::service;
namespace event_type = docklink::iotda::event_type;

namespace {

void check_refused(const std::string& payload, const char* message_part) {
  SystemEvents events;
  docklink::Status status = docklink::iotda::decode_events(payload, {}, events);
  CHECK_TEXT(status.code() == StatusCode::kMalformed, payload.c_str());
  if (status.message().find(message_part) == std::string::npos) {
    FAIL(("'" + status.message() + "' lacks '" + message_part + "'").c_str());
  }
  CHECK(events.services.empty());
  CHECK(events.object_device_id.empty());
}

}  // namespace

TEST_GROUP(IotdaEvents){};

TEST(IotdaEvents, DecodesAFirmwareUpgrade) {
  SystemEvents events;
  const char* payload =
      R"({"object_device_id":"prod_DOCK1","services":[{"service_id":"$ota","event_type":"firmware_upgrade",)"
      R"("event_time":"20151212T121212Z","paras":{"version":"v1.2","url":"https://host:8943/p","file_size":81362928,)"
      R"("access_token":"tok","expires":86400,"sign":"5951","task_ext_info":{"device_type":"DDC"}}}]})";
  docklink::Status status = docklink::iotda::decode_events(payload, {}, events);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(events.object_device_id == "prod_DOCK1");
  LONGS_EQUAL(1, events.services.size());
  const auto& event = events.services[0];
  CHECK(event.service_id == service::kOta);
  CHECK(event.event_type == event_type::kFirmwareUpgrade);
  CHECK(event.event_time == "20151212T121212Z");
  CHECK(event.event_id.empty());
  STRCMP_EQUAL("v1.2", (*event.paras)["version"].GetString());
  CHECK((*event.paras)["file_size"].GetInt64() == 81362928);
}

TEST(IotdaEvents, DecodesTimeSyncAndSubDeviceResponsesTogether) {
  SystemEvents events;
  const char* payload =
      R"({"services":[{"service_id":"$time_sync","event_type":"time_sync_response",)"
      R"("paras":{"device_send_time":1000,"server_recv_time":1500,"server_send_time":1510}},)"
      R"({"service_id":"$sub_device_manager","event_type":"sub_device_update_status_response","event_id":"e-7",)"
      R"("paras":{"successful_devices":[{"device_id":"prod_AIRCRAFT1","status":"ONLINE"}],"failed_devices":[]}},)"
      R"({"service_id":"$ota","event_type":"version_query","paras":null}]})";
  CHECK(docklink::iotda::decode_events(payload, {}, events).is_ok());
  CHECK(events.object_device_id.empty());  // the gateway itself
  LONGS_EQUAL(3, events.services.size());
  CHECK(events.services[0].event_type == event_type::kTimeSyncResponse);
  CHECK(events.services[1].service_id == service::kSubDeviceManager);
  CHECK(events.services[1].event_id == "e-7");
  CHECK(events.services[2].paras->IsObject() && events.services[2].paras->ObjectEmpty());
}

TEST(IotdaEvents, RefusesMalformedEnvelopesNamingTheField) {
  check_refused(R"({})", "missing services");
  check_refused(R"({"services":"$ota"})", "services is not an array");
  check_refused(R"({"services":[]})", "services is empty");
  check_refused(R"({"services":[null]})", "services[0] is not an object");
  check_refused(R"({"services":[{"event_type":"version_query"}]})", "services[0]: missing service_id");
  check_refused(R"({"services":[{"service_id":"$ota"}]})", "services[0]: missing event_type");
  check_refused(R"({"services":[{"service_id":"$ota","event_type":""}]})", "services[0]: event_type is empty");
  check_refused(R"({"services":[{"service_id":"$ota","event_type":"x","event_time":20151212}]})",
                "services[0]: event_time is not a string");
  check_refused(R"({"services":[{"service_id":"$ota","event_type":"x","event_id":1}]})",
                "services[0]: event_id is not a string");
  check_refused(R"({"services":[{"service_id":"$ota","event_type":"x","paras":"{}"}]})",
                "services[0]: paras is not an object");
  check_refused(R"({"object_device_id":["a"],"services":[{"service_id":"$ota","event_type":"x"}]})",
                "object_device_id is not a string");
  // A valid entry before a broken one does not survive the failure.
  check_refused(R"({"services":[{"service_id":"$ota","event_type":"x"},{"service_id":"$ota","event_type":2}]})",
                "services[1]: event_type is not a string");
}

TEST(IotdaEvents, EncodesReportsForTheGatewayAndTheAircraft) {
  std::string out;
  std::vector<EventEntry> version{{service::kOta, event_type::kVersionReport, "20250414T012233Z", "",
                                   R"({"sw_version":"1.2.0","fw_version":"1.2.0"})"}};
  CHECK(docklink::iotda::encode_events("", version, out).is_ok());
  STRCMP_EQUAL(R"({"services":[{"service_id":"$ota","event_type":"version_report","event_time":"20250414T012233Z",)"
               R"("paras":{"sw_version":"1.2.0","fw_version":"1.2.0"}}]})",
               out.c_str());
  // For the aircraft, object_device_id names it.
  std::vector<EventEntry> progress{{service::kOta, event_type::kUpgradeProgressReport, "", "",
                                    R"({"result_code":0,"progress":40,"version":"1.1.0"})"}};
  CHECK(docklink::iotda::encode_events("prod_AIRCRAFT1", progress, out).is_ok());
  STRCMP_EQUAL(R"({"object_device_id":"prod_AIRCRAFT1","services":[{"service_id":"$ota",)"
               R"("event_type":"upgrade_progress_report","paras":{"result_code":0,"progress":40,"version":"1.1.0"}}]})",
               out.c_str());
}

TEST(IotdaEvents, EncodesFileTimeAndSubDeviceRequests) {
  std::string out;
  std::vector<EventEntry> events{
      {service::kFileManager, event_type::kGetUploadUrl, "", "",
       R"({"file_name":"log.tar","file_attributes":{"hash_code":"ab","size":3}})"},
      {service::kTimeSync, event_type::kTimeSyncRequest, "", "", R"({"device_send_time":1744593753000})"},
      {service::kSubDeviceManager, event_type::kSubDeviceUpdateStatus, "", "e-1",
       R"({"device_statuses":[{"device_id":"prod_AIRCRAFT1","status":"ONLINE"}]})"}};
  CHECK(docklink::iotda::encode_events("", events, out).is_ok());
  // What we write, we read back the same.
  SystemEvents decoded;
  CHECK(docklink::iotda::decode_events(out, {}, decoded).is_ok());
  LONGS_EQUAL(3, decoded.services.size());
  CHECK(decoded.services[0].service_id == "$file_manager");
  LONGS_EQUAL(3, (*decoded.services[0].paras)["file_attributes"]["size"].GetInt());
  CHECK((*decoded.services[1].paras)["device_send_time"].GetInt64() == 1744593753000);
  CHECK(decoded.services[2].event_id == "e-1");
}

TEST(IotdaEvents, EncodeRefusesBadEntries) {
  std::string out = "stale";
  CHECK(docklink::iotda::encode_events("", {}, out).code() == StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::encode_events("a/b", {{service::kOta, event_type::kVersionReport, "", "", ""}}, out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::encode_events("", {{"", event_type::kVersionReport, "", "", ""}}, out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::encode_events("", {{service::kOta, "", "", "", ""}}, out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(docklink::iotda::encode_events("", {{service::kOta, event_type::kVersionReport, "", "", "null"}}, out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(out.empty());
  CHECK(docklink::iotda::encode_events("", {{service::kOta, event_type::kVersionReport, "", "", ""}}, out).is_ok());
  STRCMP_EQUAL(R"({"services":[{"service_id":"$ota","event_type":"version_report","paras":{}}]})", out.c_str());
}

TEST(IotdaEvents, TimeSyncRemovesTheServersProcessingTime) {
  // Sent at 1000 (device clock), received by the server at 5500 and answered at 5510, back at 1210 (device clock):
  // the round trip took 210 ms of which the server held 10, so 100 ms each way; the server's clock read 5610 then.
  LONGS_EQUAL(5610, docklink::iotda::time_sync_platform_now_ms(1000, 5500, 5510, 1210));
  static_assert(docklink::iotda::time_sync_platform_now_ms(0, 0, 0, 0) == 0, "usable at compile time");
}
