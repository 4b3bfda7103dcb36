// With --cloud iotda the dock upgrades and uploads the IoTDA way, on the same TransferManager as the DJI path:
// iotda::OtaUpgrader answers `$ota` version queries and runs firmware_upgrade / software_upgrade (the package fetched
// with the event's access token as a Bearer token into --files-dir, its SHA-256 `sign` checked, then "installed"
// by taking its version), and reports both devices' versions after every connect; flight photos go up through
// iotda::FileManager (`$file_manager`: a pre-signed URL per file, one PUT, upload_result_report) instead of DJI's
// storage_config_get and object-storage credentials (docs/architecture.md#iotda-ota-and-files).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "media_files.hpp"
#include "sim_dock.hpp"
#include "sim_files.hpp"

namespace docklink::sim {

void SimDock::attach_iotda(SimFiles& files) {
  iotda::OtaOptions ota;
  ota.download_dir = files.directory();
  ota.versions = [this](const std::string& device_sn) { return iotda_versions(device_sn); };
  ota.installer = [this](const iotda::OtaPackage& package, const std::string& path) {
    return iotda_install(package, path);
  };
  ota.precheck = [this](const iotda::OtaPackage&) { return iotda_precheck(); };
  ota.report_on_connect = {sn_, aircraft_sn_};  // IoTDA's login sequence: versions right after connecting
  iotda_ota_ = std::make_unique<iotda::OtaUpgrader>(*client_, files.manager(), std::move(ota));
  iotda_ota_->attach();
  iotda_files_ = std::make_unique<iotda::FileManager>(*client_, files.manager(), files.runtime());
  iotda_files_->attach();
}

// A version_report's versions: the dock and its aircraft run firmware only (no separate software version).
iotda::DeviceVersions SimDock::iotda_versions(const std::string& device_sn) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return iotda::DeviceVersions{"", device_sn == sn_ ? state_.firmware_version : state_.drone_firmware_version};
}

// On the client's user strand, before any download: a dock at work or in another upgrade is busy (result code 1),
// and a files directory that cannot be made leaves no storage (5).
std::int32_t SimDock::iotda_precheck() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_.mode_code != DockMode::kIdle || !state_.job_method.empty()) return iotda::ota_result::kBusy;
  }
  return files_->ensure_directory() ? iotda::ota_result::kSuccess : iotda::ota_result::kNoStorage;
}

// The upgrader's installer (a dispatcher thread): the verified package must be where the upgrader put it; the
// device then runs the new version, which its state and the upgrader's final reports show.
std::int32_t SimDock::iotda_install(const iotda::OtaPackage& package, const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) return iotda::ota_result::kInstallFailed;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    (package.device_sn == sn_ ? state_.firmware_version : state_.drone_firmware_version) = package.version;
  }
  report_state({package.device_sn == sn_ ? StateGroup::kDockFirmware : StateGroup::kAircraftFirmware});
  return iotda::ota_result::kSuccess;
}

// One photo up through `$file_manager`; counted like the DJI path's deliveries, and deleted once delivered.
Status SimDock::upload_media_iotda(const dji::MediaFile& file) {
  iotda::FileUpload upload;
  upload.device_sn = aircraft_sn_;  // the aircraft took it
  upload.path = file.path;
  upload.file_name = file.name;
  upload.content_type = file.content_type;
  return iotda_files_->upload(std::move(upload), [log = log_, sn = sn_, name = file.name,
                                                  path = file.path](const iotda::FileTransferResult& result) {
    if (result.status) {
      count_media_delivered();
      std::remove(path.c_str());
      return;
    }
    count_media_failed();
    if (log != nullptr && log->enabled(port::LogLevel::kWarn)) {
      log->write(port::LogLevel::kWarn, "dock-sim",
                 sn + ": media " + name + " not delivered ($file_manager): " + result.status.to_string());
    }
  });
}

}  // namespace docklink::sim
