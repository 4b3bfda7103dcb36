// DJI protocol result codes used by DockLink and its simulator (six-digit ABCDEF: A source, BC module, DEF error;
// docs/protocol.md#result-codes). 0 is success. One catalogue, so that no program defines its own copies.
#pragma once

#include <cstdint>

namespace docklink::result_code {

/// Success, everywhere.
inline constexpr std::int32_t kSuccess = 0;
/// Property set: the property could not be set.
inline constexpr std::int32_t kPropertyFailed = 1;
/// Property set: setting the property timed out.
inline constexpr std::int32_t kPropertyTimeout = 2;
/// Firmware upgrade: an upgrade is already running.
inline constexpr std::int32_t kUpgradeAlreadyRunning = 312014;
/// Firmware upgrade: the dock is busy (not idle, or a job runs).
inline constexpr std::int32_t kUpgradeDockBusy = 312015;
/// Firmware upgrade (DockLink's own, DJI publishes none): a package could not be downloaded (network, HTTP, TLS).
inline constexpr std::int32_t kUpgradeDownloadFailed = 312901;
/// Firmware upgrade (DockLink's own): the package's MD5 or size differs from what ota_create announced.
inline constexpr std::int32_t kUpgradePackageCorrupt = 312902;
/// Firmware upgrade (DockLink's own): no space left for the package.
inline constexpr std::int32_t kUpgradeStorageFull = 312903;
/// Firmware upgrade (DockLink's own): the installer refused or failed, or the package could not be stored.
inline constexpr std::int32_t kUpgradeInstallFailed = 312904;
/// The device state does not allow the operation (busy, uploading logs, flying).
inline constexpr std::int32_t kDeviceStateForbids = 314000;
/// Flight-task preparation (DockLink's own, DJI names no single code): the wayline file (KMZ) could not be
/// downloaded (network, HTTP, TLS, disk).
inline constexpr std::int32_t kWaylineDownloadFailed = 314901;
/// Flight-task preparation (DockLink's own): the KMZ's MD5 differs from the task's fingerprint.
inline constexpr std::int32_t kWaylineFileCorrupt = 314902;
/// Dock busy with another task.
inline constexpr std::int32_t kDockBusy = 319001;
/// Flight task: no prepared task with this id.
inline constexpr std::int32_t kTaskNotFound = 319003;
/// Flight task: a running task cannot be cancelled.
inline constexpr std::int32_t kCannotCancelRunningTask = 319006;
/// Flight task: dock and cloud clocks disagree (execute_time too far away or past).
inline constexpr std::int32_t kTimeNotSynced = 319008;
/// Another task is running.
inline constexpr std::int32_t kOtherTaskRunning = 319016;
/// Leaving DRC (command flight) failed.
inline constexpr std::int32_t kDrcExitFailed = 319021;
/// fly_to_point failed.
inline constexpr std::int32_t kFlyToFailed = 319022;
/// Stopping fly_to_point failed.
inline constexpr std::int32_t kFlyToStopFailed = 319023;
/// The cloud does not hold flight authority.
inline constexpr std::int32_t kNoFlightAuthority = 319030;
/// fly_to_point: wrong number of points.
inline constexpr std::int32_t kFlyToPointCount = 319032;
/// DRC: a seq lower than the last one applied.
inline constexpr std::int32_t kDrcStaleSeq = 319033;
/// The dock is in remote debugging.
inline constexpr std::int32_t kInRemoteDebug = 319036;
/// The dock is in on-site debugging.
inline constexpr std::int32_t kInOnSiteDebug = 319037;
/// The dock is upgrading its firmware (a task or command flight is refused).
inline constexpr std::int32_t kTaskRefusedUpgrading = 319038;
/// Resuming a paused flight task failed.
inline constexpr std::int32_t kResumeFailed = 319042;
/// Cancelling the return home failed.
inline constexpr std::int32_t kCancelReturnHomeFailed = 319043;
/// A flight task can only be paused on its wayline.
inline constexpr std::int32_t kCannotPause = 319046;
/// Log upload (DockLink's own, DJI publishes none): the upload failed (network, HTTP status, S3 error).
inline constexpr std::int32_t kLogUploadFailed = 324901;
/// Log upload (DockLink's own): the storage credentials were refused or expired (fileupload_start's cannot be
/// renewed).
inline constexpr std::int32_t kLogCredentialsRefused = 324902;
/// Log upload (DockLink's own): the application has no such log, or it could not be read.
inline constexpr std::int32_t kLogFileUnavailable = 324903;
/// Cloud command parameter or format invalid: DockLink's answer to malformed, unknown or invalid commands.
inline constexpr std::int32_t kInvalidParameter = 325001;
/// Command failed.
inline constexpr std::int32_t kCommandFailed = 325003;
/// Device request timed out.
inline constexpr std::int32_t kRequestTimeout = 325004;
/// The dock cannot respond now.
inline constexpr std::int32_t kCannotRespondNow = 325005;
/// Logs are being exported.
inline constexpr std::int32_t kExportingLogs = 325009;
/// Aircraft not connected.
inline constexpr std::int32_t kAircraftNotConnected = 325012;
/// 4G: no such dongle in the device.
inline constexpr std::int32_t kDongleMissing = 326002;
/// eSIM: a job already runs on the dongle.
inline constexpr std::int32_t kEsimBusy = 326103;
/// eSIM: not activated (no operator profile to use).
inline constexpr std::int32_t kEsimNotActive = 326104;
/// Live: the camera has no such lens or position.
inline constexpr std::int32_t kLiveCameraTypeError = 513002;
/// Live: the stream already runs.
inline constexpr std::int32_t kLiveAlreadyStreaming = 513003;
/// Live: the stream does not run.
inline constexpr std::int32_t kLiveNotStreaming = 513011;
/// Charging failed to start.
inline constexpr std::int32_t kChargeStartFailed = 514104;
/// The cover failed to close.
inline constexpr std::int32_t kCoverCloseFailed = 514108;
/// The aircraft failed to power off.
inline constexpr std::int32_t kDronePowerOffFailed = 514110;
/// Dock busy with another command.
inline constexpr std::int32_t kDockBusyWithCommand = 514116;
/// The cover is not in place.
inline constexpr std::int32_t kCoverNotInPlace = 514117;
/// Emergency stop pressed.
inline constexpr std::int32_t kEmergencyStop = 514121;
/// The dock is working (a flight runs).
inline constexpr std::int32_t kDockWorking = 514148;
/// The dock is upgrading its firmware (remote debugging is refused).
inline constexpr std::int32_t kDockUpgrading = 514151;
/// Dock not in remote-debugging mode / exited remote debugging.
inline constexpr std::int32_t kNotInRemoteDebug = 514153;
/// DRC link: heartbeat timeout.
inline constexpr std::int32_t kDrcHeartbeatTimeout = 514301;
/// DRC link: the connection was lost.
inline constexpr std::int32_t kDrcLinkLost = 514303;
/// DRC link: the connection was refused.
inline constexpr std::int32_t kDrcConnectionRefused = 514304;

}  // namespace docklink::result_code
