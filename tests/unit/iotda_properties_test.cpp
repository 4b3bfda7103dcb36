// IoTDA properties: property and gateway reports (with the size and device limits), property set and get decoding
// with malformed input refused by field, and their responses.
#include <string>
#include <vector>

#include "docklink/iotda/properties.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::iotda::DeviceProperties;
using docklink::iotda::PropertyGet;
using docklink::iotda::PropertySet;
using docklink::iotda::ServiceProperties;

namespace {

void check_set_refused(const std::string& payload, const char* message_part) {
  PropertySet set;
  docklink::Status status = docklink::iotda::decode_property_set(payload, {}, set);
  CHECK_TEXT(status.code() == StatusCode::kMalformed, payload.c_str());
  if (status.message().find(message_part) == std::string::npos) {
    FAIL(("'" + status.message() + "' lacks '" + message_part + "'").c_str());
  }
  CHECK(set.services.empty());
}

void check_invalid(const docklink::Status& status, const char* message_part) {
  CHECK(status.code() == StatusCode::kInvalidArgument);
  if (status.message().find(message_part) == std::string::npos) {
    FAIL(("'" + status.message() + "' lacks '" + message_part + "'").c_str());
  }
}

}  // namespace

TEST_GROUP(IotdaPropertyReports){};

TEST(IotdaPropertyReports, OneServicePerModule) {
  std::string out;
  std::vector<ServiceProperties> services{
      {"dock_environment", R"({"rainfall":0,"wind_speed":2.4})", "2025-04-14T01:22:33.120Z"},
      {"dock_cover", R"({"cover_state":0})", ""},
      {"dock_power", "", ""}};
  CHECK(docklink::iotda::encode_property_report(services, out).is_ok());
  STRCMP_EQUAL(R"({"services":[{"service_id":"dock_environment","properties":{"rainfall":0,"wind_speed":2.4},)"
               R"("event_time":"2025-04-14T01:22:33.120Z"},{"service_id":"dock_cover","properties":{"cover_state":0}},)"
               R"({"service_id":"dock_power","properties":{}}]})",
               out.c_str());
  std::string get_response;
  CHECK(docklink::iotda::encode_property_get_response(services, get_response).is_ok());
  STRCMP_EQUAL(out.c_str(), get_response.c_str());  // the same shape
}

TEST(IotdaPropertyReports, RefusesWhatIotdaWouldRefuseOrWeCouldNotWrite) {
  std::string out = "stale";
  check_invalid(docklink::iotda::encode_property_report({}, out), "services is empty");
  check_invalid(docklink::iotda::encode_property_report({{"", "{}", ""}}, out), "services[0].service_id is empty");
  check_invalid(docklink::iotda::encode_property_report({{"a", "{}", ""}, {"b", "[1]", ""}}, out),
                "services[1].properties is not a JSON object");
  CHECK(out.empty());
}

TEST(IotdaPropertyReports, AReportOverTheSizeLimitIsRefusedNotTruncated) {
  const std::string big = "{\"blob\":\"" + std::string(200, 'x') + "\"}";
  std::string out;
  check_invalid(docklink::iotda::encode_property_report({{"s", big, ""}}, out, 200), "exceeds the limit of 200");
  CHECK(out.empty());
  // The default limit is IoTDA's.
  const std::string huge = "{\"blob\":\"" + std::string(docklink::defaults::kIotdaMaxPayloadBytes, 'x') + "\"}";
  check_invalid(docklink::iotda::encode_property_report({{"s", huge, ""}}, out), "exceeds the limit of 1000000");
}

TEST(IotdaPropertyReports, GatewayReportForSubDevices) {
  std::string out;
  std::vector<DeviceProperties> devices{
      {"prod_AIRCRAFT1", {{"aircraft_flight", R"({"height":38.4})", "2025-04-14T01:22:33.120Z"}}}};
  CHECK(docklink::iotda::encode_gateway_report(devices, out).is_ok());
  STRCMP_EQUAL(R"({"devices":[{"device_id":"prod_AIRCRAFT1","services":[{"service_id":"aircraft_flight",)"
               R"("properties":{"height":38.4},"event_time":"2025-04-14T01:22:33.120Z"}]}]})",
               out.c_str());
}

TEST(IotdaPropertyReports, GatewayReportLimits) {
  std::string out;
  check_invalid(docklink::iotda::encode_gateway_report({}, out), "devices is empty");
  check_invalid(docklink::iotda::encode_gateway_report({{"bad/id", {{"s", "{}", ""}}}}, out), "devices[0].device_id");
  check_invalid(docklink::iotda::encode_gateway_report({{"ok", {}}}, out), "devices[0].services is empty");
  std::vector<DeviceProperties> many(docklink::defaults::kIotdaMaxGatewayReportDevices, {"d", {{"s", "{}", ""}}});
  CHECK(docklink::iotda::encode_gateway_report(many, out).is_ok());
  many.push_back(many.front());
  check_invalid(docklink::iotda::encode_gateway_report(many, out), "101 devices exceed");
}

TEST_GROUP(IotdaPropertySet){};

TEST(IotdaPropertySet, DecodesServicesAndTheirProperties) {
  PropertySet set;
  const char* payload = R"({"object_device_id":"prod_DOCK1","services":[)"
                        R"({"service_id":"dock_settings","properties":{"silent_mode":1}},)"
                        R"({"service_id":"dock_network","properties":{}}]})";
  docklink::Status status = docklink::iotda::decode_property_set(payload, {}, set);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(set.object_device_id == "prod_DOCK1");
  LONGS_EQUAL(2, set.services.size());
  CHECK(set.services[0].service_id == "dock_settings");
  LONGS_EQUAL(1, (*set.services[0].properties)["silent_mode"].GetInt());
  CHECK(set.services[1].properties->ObjectEmpty());
}

TEST(IotdaPropertySet, RefusesMalformedSetsNamingTheField) {
  check_set_refused(R"({})", "missing services");
  check_set_refused(R"({"services":{}})", "services is not an array");
  check_set_refused(R"({"services":[]})", "services is empty");
  check_set_refused(R"({"services":[7]})", "services[0] is not an object");
  check_set_refused(R"({"services":[{"properties":{}}]})", "services[0]: missing service_id");
  check_set_refused(R"({"services":[{"service_id":"a","properties":{}},{"service_id":1,"properties":{}}]})",
                    "services[1]: service_id is not a string");
  check_set_refused(R"({"services":[{"service_id":"a"}]})", "services[0]: missing properties");
  check_set_refused(R"({"services":[{"service_id":"a","properties":[]}]})", "services[0]: properties is not an object");
  check_set_refused(R"({"services":[{"service_id":"a","properties":{}}]} trailing)", "invalid JSON");
  check_set_refused(R"({"object_device_id":"a b","services":[{"service_id":"a","properties":{}}]})",
                    "object_device_id");
  std::string many = R"({"services":[)";
  for (std::size_t i = 0; i <= docklink::defaults::kIotdaMaxServicesPerMessage; ++i) {
    many += std::string(i == 0 ? "" : ",") + R"({"service_id":"s","properties":{}})";
  }
  check_set_refused(many + "]}", "more than the limit");
}

TEST(IotdaPropertySet, OneResponseForTheWholeSet) {
  std::string out;
  CHECK(docklink::iotda::encode_property_set_response(0, "success", out).is_ok());
  STRCMP_EQUAL(R"({"result_code":0,"result_desc":"success"})", out.c_str());
  CHECK(docklink::iotda::encode_property_set_response(1, "", out).is_ok());
  STRCMP_EQUAL(R"({"result_code":1})", out.c_str());
  CHECK(docklink::iotda::encode_property_set_response(1, "failed: dock_settings.silent_mode", out, 20).code() ==
        StatusCode::kInvalidArgument);
}

TEST(IotdaPropertySet, PropertyGetNamesTheDeviceAndOptionallyOneService) {
  PropertyGet get;
  CHECK(docklink::iotda::decode_property_get(R"({"object_device_id":"prod_DOCK1","service_id":"dock_cover"})", {}, get)
            .is_ok());
  CHECK(get.object_device_id == "prod_DOCK1");
  CHECK(get.service_id == "dock_cover");
  CHECK(docklink::iotda::decode_property_get("{}", {}, get).is_ok());
  CHECK(get.object_device_id.empty());
  CHECK(get.service_id.empty());  // every service
  CHECK(docklink::iotda::decode_property_get(R"({"service_id":["dock_cover"]})", {}, get).code() ==
        StatusCode::kMalformed);
  CHECK(docklink::iotda::decode_property_get(R"({"object_device_id":"x#"})", {}, get).code() == StatusCode::kMalformed);
  CHECK(get.object_device_id.empty());
}
