// Identity of the gateway (dock) and its sub-devices (aircraft), as announced in update_topo
// (docs/protocol.md#topology).
#pragma once

#include <string>

namespace docklink {

/// A device in the topology. For the gateway, `index` is unused.
struct DeviceInfo {
  std::string sn;             ///< Serial number; also the MQTT topic level.
  std::string domain;         ///< "3" for docks, "0" for aircraft (sent as a string, docs/protocol.md#tolerance).
  int type = 0;               ///< Product type, e.g. 2 for Dock 2, 91 for M3D/M3TD.
  int sub_type = 0;           ///< Product sub-type, e.g. 1 for the thermal variant.
  std::string index = "A";    ///< Channel index on the gateway (sub-devices only).
  std::string thing_version;  ///< Thing-model version, e.g. "1.2.0".
  std::string device_secret;  ///< Opaque secret sent in update_topo; never logged.
  std::string nonce;          ///< Opaque nonce sent in update_topo.
};

}  // namespace docklink
