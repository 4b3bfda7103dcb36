// Booleans the thing model marks `"wire": "int"` (docs/protocol.md#quirk-booleans): the generated to_json sends
// them as 0/1, as DJI's documentation shows them, while the C++ member stays a bool; every other boolean still
// goes out as true/false, and decoding accepts both encodings for both kinds.
#include <string>

#include "docklink/generated/dock2.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::generated;

namespace {

dock2::HmsEventListItem alarm(bool in_the_sky, bool imminent) {
  dock2::HmsEventListItem item;
  item.in_the_sky = in_the_sky;
  item.imminent = imminent;
  return item;
}

}  // namespace

TEST_GROUP(CodegenIntBool){};

TEST(CodegenIntBool, HmsInTheSkyAndImminentGoOutAsZeroAndOne) {
  dock2::HmsEvent event;
  event.list = std::vector<dock2::HmsEventListItem>{alarm(true, false), alarm(false, true)};
  STRCMP_EQUAL(R"({"list":[{"in_the_sky":1,"imminent":0},{"in_the_sky":0,"imminent":1}]})",
               to_json_string(event).c_str());
}

TEST(CodegenIntBool, SubDeviceFlagsGoOutAsZeroAndOne) {
  dock2::SubDevice sub_device;
  sub_device.device_online_status = true;
  sub_device.device_paired = false;
  STRCMP_EQUAL(R"({"device_online_status":1,"device_paired":0})", to_json_string(sub_device).c_str());
}

TEST(CodegenIntBool, OtherBooleansStillGoOutAsTrueAndFalse) {
  dock2::UnlockLicenseSwitch params;
  params.license_id = 3;
  params.enable = true;
  STRCMP_EQUAL(R"({"license_id":3,"enable":true})", to_json_string(params).c_str());
}

TEST(CodegenIntBool, DecodingAcceptsBothEncodings) {
  dock2::HmsEvent event;
  std::string error;
  CHECK_TRUE(from_json_string(R"({"list":[{"in_the_sky":true,"imminent":0},{"in_the_sky":1,"imminent":false}]})", event,
                              &error));
  STRCMP_EQUAL("", error.c_str());
  CHECK_TRUE(event.list->at(0).in_the_sky.value_or(false));
  CHECK_FALSE(event.list->at(0).imminent.value_or(true));
  CHECK_TRUE(event.list->at(1).in_the_sky.value_or(false));
  CHECK_FALSE(event.list->at(1).imminent.value_or(true));
  dock2::UnlockLicenseSwitch params;
  CHECK_TRUE(from_json_string(R"({"license_id":3,"enable":1})", params, &error));
  CHECK_TRUE(params.enable);
}
