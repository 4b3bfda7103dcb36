// Firmware upgrade glue for DJI's `ota_create`: each device's package is downloaded on a TransferManager (size and
// MD5 checked), `ota_progress` reports the bytes received, and the verified files go to the firmware's installer
// (docs/protocol.md#files).
//
// Threads: the service handler runs on the client's strand; downloads run on the manager's workers; progress, the
// installer and the final report run on the manager's dispatcher queue (never on a network thread, never under a
// lock of the upgrader).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/client.hpp"
#include "docklink/export.hpp"
#include "docklink/service.hpp"
#include "docklink/status.hpp"
#include "docklink/transfer/transfer_error.hpp"
#include "docklink/transfer/transfer_manager.hpp"

namespace docklink::dji {

namespace detail {
struct OtaState;
}  // namespace detail

/// One device's entry of `ota_create.devices[]`.
struct OtaPackage {
  std::string sn;                 ///< The device to upgrade (dock or aircraft).
  std::string product_version;    ///< The firmware version the package brings.
  std::string file_url;           ///< Where the package is; empty for a consistency upgrade without a package.
  std::string md5;                ///< Hex MD5 of the package (32 digits) when file_url is set.
  std::uint64_t file_size = 0;    ///< Bytes of the package when file_url is set.
  std::string file_name;          ///< The package's name as the cloud gave it (informational).
  int firmware_upgrade_type = 0;  ///< 2 consistency, 3 normal, 4 PSDK (as the cloud sent it).
};

/// Installs one device's package. `path` is the verified file (empty when the package had no file_url). Returns 0
/// on success or a result code (result_codes.hpp) that ends the job as failed. Runs on a dispatcher thread.
using OtaInstaller = std::function<std::int32_t(const OtaPackage& package, const std::string& path)>;

/// Told once when an upgrade ends, after its final `ota_progress` went out: `code` is 0 when it succeeded, else the
/// result code it failed with. Firmware uses it to leave its upgrading state (firmware_upgrade_status, mode_code)
/// whichever way the job ended. Runs on a dispatcher thread, or on the handler's thread when the first download could
/// not even be queued.
using OtaFinished = std::function<void(std::int32_t code)>;

/// How an OtaUpgrader stores and installs packages.
struct OtaOptions {
  std::string download_dir;  ///< Existing directory for packages ("ota-<sn>.bin"); required.
  OtaInstaller installer;    ///< Required.
  OtaFinished on_finished;   ///< Optional.
};

/// The step keys of `ota_progress` (docs/protocol.md#files).
inline constexpr const char* kOtaStepDownload = "download_firmware";
/// Step key while the installer runs.
inline constexpr const char* kOtaStepUpgrade = "upgrade_firmware";

/// Decodes `ota_create` data: kInvalidArgument when devices[] is missing or empty, an SN is unusable as a file
/// name, or a package with a URL lacks a 32-hex-digit md5 or a positive file_size (never downloaded unchecked).
DOCKLINK_API Result<std::vector<OtaPackage>> parse_ota_create(const rapidjson::Value& data);

/// The result code an OTA job fails with after a download ended with `error` (docs/protocol.md#result-codes).
DOCKLINK_API std::int32_t ota_result_code(transfer::TransferError error) noexcept;

/// Runs `ota_create` as a job (reply in_progress, then `ota_progress` events with the call's bid, need_reply set;
/// the Client's Job handle is not used since its events would carry the method ota_create): downloads every package in
/// order, reports `ota_progress` (step download_firmware, percent = bytes in place over the bytes of all packages, sent
/// only when the percent changes), then hands each verified file to the installer (step upgrade_firmware) and ends the
/// job ok, or failed with the code of the first failure (the final event keeps the step and percent it failed at). One
/// upgrade at a time: another `ota_create` meanwhile is answered 312014. Destroy it before the TransferManager; the
/// manager must outlive every running upgrade.
class DOCKLINK_API OtaUpgrader {
 public:
  /// An upgrader that reports on `client` and downloads on `manager` (neither owned; both outlive every upgrade).
  OtaUpgrader(Client& client, transfer::TransferManager& manager, OtaOptions options);
  /// Lets a running upgrade finish: its callbacks keep what they use.
  ~OtaUpgrader();
  OtaUpgrader(const OtaUpgrader&) = delete;
  OtaUpgrader& operator=(const OtaUpgrader&) = delete;

  /// Registers the `ota_create` handler on the client.
  void attach();
  /// Handles one `ota_create` call (what attach() registers), for clients that route services themselves.
  ServiceReply handle(ServiceCall& call);
  /// True while an upgrade runs.
  bool busy() const;

 private:
  std::shared_ptr<detail::OtaState> state_;
};

}  // namespace docklink::dji
