// The state groups the simulated dock and aircraft report (docs/protocol.md#state-groups) as property values: each
// group is written into its device's thing::PropertyStore by generated descriptor, and the store composes the state
// message with every value of the group, so keys and types follow the product's thing model.
#pragma once

#include <cstdint>
#include <string>

#include "dock_state.hpp"
#include "product.hpp"
#include "store_writer.hpp"

namespace docklink::sim {

/// A state group the simulator reports; the thing models name them (`state_group`).
enum class StateGroup : std::uint8_t {
  // The dock's.
  kDockFirmware,               ///< firmware_version, compatible_status, firmware_upgrade_status.
  kSilentMode,                 ///< silent_mode.
  kUserExperienceImprovement,  ///< user_experience_improvement.
  kAirTransferEnable,          ///< air_transfer_enable (Dock 2/3).
  kWpmzVersion,                ///< wpmz_version (Dock 1).
  kLiveCapacity,               ///< live_capacity: the aircraft's camera and its lenses.
  kLiveStatus,                 ///< live_status: the running streams.
  kRtcmInfo,                   ///< rtcm_info (Dock 2/3).
  kDockDongleInfos,            ///< dongle_infos of the dock: every dongle, its own and the aircraft's (Dock 2/3).
  // The aircraft's.
  kAircraftFirmware,             ///< firmware_version, compatible_status, firmware_upgrade_status.
  kAircraftDongleInfos,          ///< dongle_infos of the aircraft: its own dongle (M3D, M4D).
  kCommanderFlightHeight,        ///< commander_flight_height.
  kCommanderModeLostAction,      ///< commander_mode_lost_action.
  kCurrentCommanderFlightMode,   ///< current_commander_flight_mode.
  kCommanderFlightMode,          ///< commander_flight_mode (M3D, M4D).
  kRemainingPowerForReturnHome,  ///< remaining_power_for_return_home (M3D, M4D).
  kCameraWatermarkSettings,      ///< camera_watermark_settings (M3D, M4D).
};

/// True for a group of the aircraft, false for one of the dock.
bool is_aircraft_group(StateGroup group) noexcept;

/// Writes the values of `group` as `s` holds them into `writer`'s store, which is the store of the device the group
/// belongs to (is_aircraft_group()): keys and types from the models of `product` (`aircraft_sn` names the aircraft
/// in live_capacity). A group the product's model does not have writes nothing.
void write_state_group(StoreWriter& writer, StateGroup group, const DockState& s, const Product& product,
                       const std::string& aircraft_sn);

}  // namespace docklink::sim
