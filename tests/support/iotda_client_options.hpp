// Client options of the test dock (client_fixture.hpp) with an IoTDA profile: the dock as gateway
// kIotdaGatewayId, its aircraft as sub-device kIotdaAircraftId. For client tests on an IotdaLoopbackCloud.
#pragma once

#include "client_fixture.hpp"
#include "docklink/iotda/profile.hpp"

namespace docklink::test {

/// IoTDA device id of the test dock.
inline constexpr const char* kIotdaGatewayId = "prod_DOCK0001";
/// IoTDA device id of the test dock's aircraft.
inline constexpr const char* kIotdaAircraftId = "prod_UAV0001";

/// dock_options() with the IoTDA profile of the test dock and its aircraft.
inline ClientOptions iotda_options() {
  iotda::ProfileOptions profile;
  profile.gateway_sn = kDockSn;
  profile.gateway_device_id = kIotdaGatewayId;
  profile.sub_device_ids[kAircraftSn] = kIotdaAircraftId;
  ClientOptions options = dock_options();
  options.profile = iotda::make_profile(profile).value();
  return options;
}

}  // namespace docklink::test
