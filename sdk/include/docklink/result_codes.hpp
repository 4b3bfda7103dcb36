// DJI protocol result codes used by DockLink (six-digit ABCDEF: A source, BC module, DEF error). 0 is success.
#pragma once

#include <cstdint>

namespace docklink::result_code {

/// Success, everywhere.
inline constexpr std::int32_t kSuccess = 0;
/// Property set: the property could not be set.
inline constexpr std::int32_t kPropertyFailed = 1;
/// Property set: setting the property timed out.
inline constexpr std::int32_t kPropertyTimeout = 2;
/// The device state does not allow the operation (busy, uploading logs, flying).
inline constexpr std::int32_t kDeviceStateForbids = 314000;
/// Dock busy with another task.
inline constexpr std::int32_t kDockBusy = 319001;
/// Cloud command parameter or format invalid: DockLink's answer to malformed, unknown or invalid commands.
inline constexpr std::int32_t kInvalidParameter = 325001;
/// Command failed.
inline constexpr std::int32_t kCommandFailed = 325003;
/// Device request timed out.
inline constexpr std::int32_t kRequestTimeout = 325004;
/// The dock cannot respond now.
inline constexpr std::int32_t kCannotRespondNow = 325005;
/// Aircraft not connected.
inline constexpr std::int32_t kAircraftNotConnected = 325012;
/// Dock busy with another command.
inline constexpr std::int32_t kDockBusyWithCommand = 514116;
/// Emergency stop pressed.
inline constexpr std::int32_t kEmergencyStop = 514121;
/// Dock not in remote-debugging mode / exited remote debugging.
inline constexpr std::int32_t kNotInRemoteDebug = 514153;

}  // namespace docklink::result_code
