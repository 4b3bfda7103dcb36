// The wayline file of a prepared flight task (flighttask_prepare `file{url, fingerprint}`, docs/protocol.md#files):
// the dock downloads the KMZ into --files-dir on the process's TransferManager with dji::fetch_file, its MD5 checked
// against the fingerprint, before the task may fly. The simulator never opens the KMZ: any bytes do.
//
// flighttask_execute that comes while the file is on its way is answered at once and runs when it arrives. A fetch
// that fails drops the task and says so in a flighttask_progress event (status failed, 314901 or 314902, step 17
// "download KMZ"), whether or not the task was executed yet. A fingerprint that is not an MD5 (a cloud that serves no
// files and sends a placeholder) fetches nothing: the task is prepared as if the file were there.
#include <optional>
#include <string>
#include <utility>

#include "docklink/dji/file_fetch.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/typed_event.hpp"
#include "json_write.hpp"
#include "sim_dock.hpp"
#include "sim_files.hpp"

namespace docklink::sim {

namespace {

constexpr int kKmzDownloadStep = 17;  // flighttask_progress step "download KMZ" (Dock 2 numbering)

// flight_id as part of a file name: anything but letters, digits, '-' and '_' becomes '_'.
std::string file_name_part(const std::string& text) {
  std::string name = text;
  for (char& c : name) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!plain) c = '_';
  }
  return name;
}

std::int32_t wayline_result_code(const transfer::DownloadResult& result) {
  if (result.status.is_ok()) return result_code::kSuccess;
  if (result.error == transfer::TransferError::kDigestMismatch ||
      result.error == transfer::TransferError::kSizeMismatch)
    return result_code::kWaylineFileCorrupt;
  return result_code::kWaylineDownloadFailed;
}

}  // namespace

std::optional<dji::DjiFile> SimDock::wayline_to_fetch(const generated::shared::FileFingerprint& kmz) const {
  if (files_ == nullptr) return std::nullopt;
  auto file = dji::wayline_file(kmz.url, kmz.fingerprint);
  if (!file.is_ok()) {
    if (log_ != nullptr) {
      log_->write(port::LogLevel::kInfo, "dock-sim",
                  sn_ + ": flighttask_prepare without an MD5 fingerprint: its KMZ is not fetched");
    }
    return std::nullopt;
  }
  return std::move(file).value();
}

std::string SimDock::wayline_path(const std::string& flight_id) const {
  return files_->directory() + "/wayline-" + file_name_part(sn_) + "-" + file_name_part(flight_id) + ".kmz";
}

void SimDock::fetch_wayline(const std::string& flight_id, const dji::DjiFile& file, std::uint64_t fetch) {
  if (!files_->ensure_directory()) return wayline_fetched(flight_id, fetch, result_code::kWaylineDownloadFailed);
  auto queued = dji::fetch_file(files_->manager(), file, wayline_path(flight_id), "kmz-" + sn_ + "-" + flight_id,
                                [this, flight_id, fetch](transfer::TransferId, const transfer::DownloadResult& result) {
                                  wayline_fetched(flight_id, fetch, wayline_result_code(result));
                                });
  if (!queued.is_ok()) wayline_fetched(flight_id, fetch, result_code::kWaylineDownloadFailed);
}

// The end of fetch `fetch` (a dispatcher thread, or the handler's when it could not start): the task may fly, or it
// is dropped with the failure reported. A fetch of a task prepared again meanwhile (or undone) changes nothing.
void SimDock::wayline_fetched(const std::string& flight_id, std::uint64_t fetch, std::int32_t code) {
  bool execute = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto task = state_.prepared.find(flight_id);
    if (task == state_.prepared.end() || task->second.kmz_fetch != fetch) return;
    if (code != result_code::kSuccess) {
      state_.prepared.erase(task);
    } else {
      task->second.kmz = KmzState::kReady;
      execute = task->second.execute_waiting;
      task->second.execute_waiting = false;
    }
  }
  if (code == result_code::kSuccess && execute) code = flighttask_execute(flight_id).result;
  if (code != result_code::kSuccess) publish_wayline_failure(flight_id, code);
}

// flighttask_progress for a task that cannot fly: bid and ext.flight_id name it, as for a running task.
void SimDock::publish_wayline_failure(const std::string& flight_id, std::int32_t code) {
  if (log_ != nullptr) {
    log_->write(port::LogLevel::kWarn, "dock-sim",
                sn_ + ": flight task " + flight_id + " dropped: its KMZ failed with " + std::to_string(code));
  }
  generated::shared::FlighttaskProgressEvent event;
  event.result = code;
  auto& output = event.output.emplace();
  output.status = generated::shared::ProgressStatus::kFailed;
  auto& progress = output.progress.emplace();
  progress.current_step = flight_step_number(product_, kKmzDownloadStep);
  progress.percent = 0;
  auto& ext = output.ext.emplace();
  ext.flight_id = flight_id;
  ext.track_id = "";
  ext.wayline_id = 0;
  EventOptions options;
  options.need_reply = true;
  options.bid = flight_id;  // as publish_flight_progress (docs/protocol.md#correlation)
  samples::warn_if_failed(log_, publish_event(*client_, event, options), event.kMethod);
}

}  // namespace docklink::sim
