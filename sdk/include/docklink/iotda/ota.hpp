// Firmware and software upgrades over IoTDA's `$ota` system service: `version_query` is answered with the
// application's versions, and a `firmware_upgrade` / `software_upgrade` (or their `_v2` forms, whose URL is
// pre-signed) becomes a download on a TransferManager (the access token sent as a Bearer token, size and SHA-256
// `sign` checked), `upgrade_progress_report`s that follow the bytes, the application's installer, and the new
// version (docs/architecture.md#iotda-ota-and-files).
//
// Threads: events arrive on the client's user strand; downloads run on the manager's workers; progress, the
// installer and the final reports run on the manager's dispatcher queue (never on a network thread, never under a
// lock of the upgrader).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/client.hpp"
#include "docklink/export.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_error.hpp"
#include "docklink/transfer/transfer_manager.hpp"

namespace docklink::iotda {

namespace detail {
struct OtaState;
}  // namespace detail

/// The result codes of `upgrade_progress_report` (IoTDA accepts 0 to 10 and 255).
namespace ota_result {
inline constexpr std::int32_t kSuccess = 0;             ///< Success, or the upgrade goes on normally.
inline constexpr std::int32_t kBusy = 1;                ///< The device is in use (or another upgrade runs).
inline constexpr std::int32_t kPoorSignal = 2;          ///< The signal is too poor.
inline constexpr std::int32_t kAlreadyLatest = 3;       ///< The device already runs that version.
inline constexpr std::int32_t kLowBattery = 4;          ///< The battery is too low.
inline constexpr std::int32_t kNoStorage = 5;           ///< Not enough storage for the package.
inline constexpr std::int32_t kDownloadTimeout = 6;     ///< The download timed out or failed.
inline constexpr std::int32_t kVerifyFailed = 7;        ///< The package's size or SHA-256 is wrong, or no sign came.
inline constexpr std::int32_t kUnsupportedPackage = 8;  ///< The package type is not supported.
inline constexpr std::int32_t kOutOfMemory = 9;         ///< Out of memory.
inline constexpr std::int32_t kInstallFailed = 10;      ///< Installing failed.
inline constexpr std::int32_t kInternalError = 255;     ///< Anything else.
}  // namespace ota_result

/// The versions a device runs, as `version_report` carries them; an empty one is left out.
struct DeviceVersions {
  std::string sw_version;  ///< Software version.
  std::string fw_version;  ///< Firmware version.
};

/// One upgrade the platform asked for.
struct OtaPackage {
  std::string device_sn;        ///< The device to upgrade: the gateway or a sub-device.
  bool software = false;        ///< software_upgrade (true) or firmware_upgrade (false).
  std::string version;          ///< The version the package brings.
  std::string url;              ///< Where the package is.
  std::string access_token;     ///< Sent as "Authorization: Bearer <token>"; empty for a pre-signed URL.
  std::string sign;             ///< Lower-case hex SHA-256 of the package (64 digits).
  std::uint64_t file_size = 0;  ///< Bytes of the package; 0 when the platform gave none (not checked then).
  std::string file_name;        ///< The package's name (informational).
  std::string task_id;          ///< The platform's batch task, if any.
  std::string custom_info;      ///< The platform's custom_info text, if any.
};

/// The versions the device `device_sn` runs now. Runs on a dispatcher thread.
using VersionSource = std::function<DeviceVersions(const std::string& device_sn)>;
/// Installs a verified package from `path`. Returns ota_result::kSuccess once the device runs the new version
/// (the VersionSource then reports it), or the result code to fail with (e.g. kInstallFailed). Runs on a
/// dispatcher thread.
using OtaInstaller = std::function<std::int32_t(const OtaPackage& package, const std::string& path)>;
/// Checks before a download whether the device can upgrade now: ota_result::kSuccess, or the code to refuse with
/// (kBusy, kLowBattery, kNoStorage ...). Runs on the client's user strand.
using OtaPrecheck = std::function<std::int32_t(const OtaPackage& package)>;

/// How an OtaUpgrader stores, checks and installs packages.
struct OtaOptions {
  std::string download_dir;  ///< Existing directory for packages ("iotda-ota-<sn>.bin"); required.
  VersionSource versions;    ///< Required.
  OtaInstaller installer;    ///< Required.
  OtaPrecheck precheck;      ///< Optional: every upgrade may start when empty.
  /// Devices (the gateway, sub-devices) whose version_report attach() has sent after every connect, as IoTDA's
  /// login sequence has it; empty: none, the application calls report_versions() itself.
  std::vector<std::string> report_on_connect;
};

/// Decodes the paras of a firmware_upgrade / software_upgrade (and _v2) event about `device_sn`. kInvalidArgument
/// for an event type that is none of them, a missing version, a url that is not http(s), a negative or non-integer
/// file_size, or a device SN unusable as a file name. A missing or malformed `sign` is not refused here (the
/// upgrader fails such an upgrade with kVerifyFailed, so the platform hears why); see sign_is_valid().
DOCKLINK_API Result<OtaPackage> parse_upgrade(std::string_view device_sn, std::string_view event_type,
                                              const rapidjson::Value& paras);

/// True when `sign` is a SHA-256 digest as hex: 64 hex digits.
DOCKLINK_API bool sign_is_valid(std::string_view sign) noexcept;

/// The result code an upgrade fails with after its download ended with `error`.
DOCKLINK_API std::int32_t ota_result_code(transfer::TransferError error) noexcept;

/// Runs `$ota` for one client: answers version_query with a version_report; runs one upgrade at a time (another
/// one meanwhile is refused with kBusy; the core drops redeliveries of the running one). An upgrade reports
/// progress 0 when it starts, then the percent of the package's bytes in place (at most 99, sent only when it
/// changes), then after the installer succeeded progress 100 with the new version, followed by a version_report;
/// a failure ends with one report carrying its code and the percent reached. Every report's `version` is the
/// device's current one. Destroy it before the TransferManager, which must outlive every running upgrade.
class DOCKLINK_API OtaUpgrader {
 public:
  /// An upgrader that reports on `client` and downloads on `manager` (neither owned; both outlive every upgrade).
  OtaUpgrader(Client& client, transfer::TransferManager& manager, OtaOptions options);
  /// Lets a running upgrade finish: its callbacks keep what they use.
  ~OtaUpgrader();
  OtaUpgrader(const OtaUpgrader&) = delete;
  OtaUpgrader& operator=(const OtaUpgrader&) = delete;

  /// Registers the `$ota` handler on the client and, with OtaOptions::report_on_connect, a connection listener that
  /// sends those devices' version_reports after every connect. Call once, before Client::start().
  void attach();
  /// Handles one `$ota` event (what attach() registers), for applications that route system events themselves.
  void handle(const SystemEvent& event);
  /// Publishes a version_report of `device_sn` (e.g. after every connect, or after a reboot into a new version).
  Status report_versions(const std::string& device_sn);
  /// True while an upgrade runs.
  bool busy() const;

 private:
  std::shared_ptr<detail::OtaState> state_;
};

}  // namespace docklink::iotda
