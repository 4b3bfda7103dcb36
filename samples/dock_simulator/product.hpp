// What distinguishes the three dock generations the simulator can play (docs/protocol.md#products, #services,
// #properties).
#pragma once

#include <string>

namespace docklink::sim {

/// Dock generation.
enum class DockGeneration { kDock1 = 1, kDock2 = 2, kDock3 = 3 };

/// Product facts of one dock generation and its aircraft.
struct Product {
  DockGeneration generation;       ///< Which dock.
  const char* name;                ///< "dock2".
  int dock_type;                   ///< update_topo type (sub_type 0).
  const char* dock_model_key;      ///< "3-2-0".
  const char* aircraft_name;       ///< "M3D".
  int aircraft_type;               ///< update_topo type of the aircraft (sub_type 0).
  const char* aircraft_model_key;  ///< "0-91-0".
  const char* payload_index;       ///< Main camera, e.g. "80-0-0".
  const char* thing_version;       ///< Thing-model version announced in update_topo.
  const char* dock_firmware;       ///< Initial dock firmware_version.
  const char* aircraft_firmware;   ///< Initial aircraft firmware_version.
  bool has_putter;                 ///< Driving rods (Dock 1 only).
  bool has_air_transfer;           ///< air_transfer_enable property (Dock 2/3).
};

/// The product for "dock1", "dock2" or "dock3"; nullptr for anything else.
const Product* find_product(const std::string& name);

/// flighttask_progress current_step in this dock's numbering for a step of the Dock 2/3 list
/// (docs/protocol.md#flight-steps): Dock 1 lacks step 8 (remote link pairing) and step 22 (leapfrog check), so its
/// later steps are shifted down.
int flight_step_number(const Product& product, int dock2_step);

}  // namespace docklink::sim
