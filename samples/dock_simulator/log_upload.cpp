// Remote log export (docs/protocol.md#services, #files): fileupload_list lists the simulated boot logs of
// the aircraft and the dock, fileupload_start "uploads" the chosen ones (nothing is sent anywhere; progress
// events with fileupload_start's bid walk to 100), fileupload_update with status cancel stops the upload.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "docklink/result_codes.hpp"
#include "json_read.hpp"
#include "json_write.hpp"
#include "sim_dock.hpp"

namespace docklink::sim {

/// One log file being uploaded.
struct LogUploadFile {
  std::string module;     ///< "0" aircraft, "3" dock.
  std::string device_sn;  ///< Whose log.
  std::string key;        ///< object_key from fileupload_start.
  std::int64_t size = 0;  ///< Bytes.
  int percent = 0;
  bool canceled = false;
  std::int64_t finish_time_ms = 0;
};

/// The upload started by fileupload_start; guarded by SimDock's mutex.
struct LogUploadRun {
  std::string bid;  ///< fileupload_start's bid: every fileupload_progress carries it (docs/protocol.md#correlation).
  std::vector<LogUploadFile> files;
  bool finished = false;
};

namespace {

constexpr int kPercentStep = 10;
constexpr double kStepSeconds = 2.0;  // 20 simulated seconds per upload
constexpr int kBootLogsPerDevice = 3;
constexpr std::int64_t kSecondsPerBoot = 6 * 3600;
constexpr const char* kAircraftModule = "0";
constexpr const char* kDockModule = "3";

bool is_module(const std::string& module) { return module == kAircraftModule || module == kDockModule; }

// The simulated boot logs of one device: the last few boots, newest last; boot indexes differ per module so a
// cloud can tell them apart.
struct BootLog {
  int boot_index;
  std::int64_t start_time, end_time, size;
};
std::vector<BootLog> boot_logs(const std::string& module, std::int64_t now) {
  std::vector<BootLog> logs;
  int first_index = module == kDockModule ? 120 : 40;
  for (int i = 0; i < kBootLogsPerDevice; ++i) {
    std::int64_t start = now - (kBootLogsPerDevice - i) * kSecondsPerBoot;
    std::int64_t end = i + 1 == kBootLogsPerDevice ? now : start + kSecondsPerBoot - 60;
    logs.push_back({first_index + i, start, end, (module == kDockModule ? 3'500'000 : 1'200'000) + i * 250'000});
  }
  return logs;
}

// The module_list strings, or false when it is not a non-empty array of known modules.
bool read_modules(const rapidjson::Value& data, std::vector<std::string>& modules) {
  const rapidjson::Value* list = samples::member(data, "module_list");
  if (list == nullptr || !list->IsArray() || list->Empty()) return false;
  for (const auto& entry : list->GetArray()) {
    if (!entry.IsString() || !is_module(entry.GetString())) return false;
    modules.emplace_back(entry.GetString());
  }
  return true;
}

// One device's logs in fileupload_list's reply: its boot logs, or none with 325012 when it cannot be reached.
void add_module_logs(samples::JsonBuilder& output, const std::string& device_sn, const std::string& module,
                     bool reachable, std::int64_t now_s) {
  output.open_object()
      .str("device_sn", device_sn)
      .str("module", module)
      .num("result", reachable ? 0 : result_code::kAircraftNotConnected)
      .open_array("list");
  if (reachable) {
    for (const BootLog& log : boot_logs(module, now_s)) {
      output.open_object()
          .num("boot_index", log.boot_index)
          .num("start_time", log.start_time)
          .num("end_time", log.end_time)
          .num("size", log.size)
          .close_object();
    }
  }
  output.close_array().close_object();
}

// One entry of fileupload_start's files: a known module, an object key and known boot logs (their sizes add up).
bool read_upload_file(const rapidjson::Value& file, LogUploadFile& upload, std::int64_t now_s) {
  upload.module = samples::read_string(file, "module");
  upload.key = samples::read_string(file, "object_key");
  const rapidjson::Value* list = samples::member(file, "list");
  if (!is_module(upload.module) || upload.key.empty() || list == nullptr || !list->IsArray() || list->Empty()) {
    return false;
  }
  std::vector<BootLog> known = boot_logs(upload.module, now_s);
  for (const auto& entry : list->GetArray()) {
    std::int64_t boot_index = samples::read_int(entry, "boot_index", -1);
    auto log = std::find_if(known.begin(), known.end(),
                            [&](const BootLog& candidate) { return candidate.boot_index == boot_index; });
    if (log == known.end()) return false;
    upload.size += log->size;
  }
  return true;
}

}  // namespace

void SimDock::register_log_upload() {
  client_->on_service("fileupload_list", [this](ServiceCall& call) {
    std::vector<std::string> modules;
    if (!read_modules(call.data(), modules)) return ServiceReply::error(result_code::kInvalidParameter);
    bool aircraft_online;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      aircraft_online = state_.drone_powered;
    }
    // The protocol puts `files` directly under data, not under output (docs/protocol.md#replies):
    // ServiceReply::flat_json.
    samples::JsonBuilder output;
    output.open_array("files");
    std::int64_t now_s = clock_->wall_ms() / 1000;
    for (const std::string& module : modules) {
      bool aircraft = module == kAircraftModule;
      add_module_logs(output, aircraft ? aircraft_sn_ : sn_, module, !aircraft || aircraft_online, now_s);
    }
    output.close_array();
    ServiceReply reply;
    reply.flat_json = output.finish();
    return reply;
  });

  client_->on_service("fileupload_start", [this](ServiceCall& call) { return fileupload_start(call); });

  client_->on_service("fileupload_update", [this](ServiceCall& call) {
    std::vector<std::string> modules;
    if (samples::read_string(call.data(), "status") != "cancel" || !read_modules(call.data(), modules)) {
      return ServiceReply::error(result_code::kInvalidParameter);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (!log_upload_ || log_upload_->finished) return ServiceReply::error(result_code::kCommandFailed);
    for (LogUploadFile& file : log_upload_->files) {
      bool listed = std::find(modules.begin(), modules.end(), file.module) != modules.end();
      if (listed && file.percent < 100) file.canceled = true;
    }
    // The next upload step reports the cancellation, so progress events stay in one ordered stream.
    return ServiceReply::ok();
  });
}

ServiceReply SimDock::fileupload_start(ServiceCall& call) {
  const rapidjson::Value* params = samples::member(call.data(), "params");
  const rapidjson::Value* files = params != nullptr ? samples::member(*params, "files") : nullptr;
  if (files == nullptr || !files->IsArray() || files->Empty()) {
    return ServiceReply::error(result_code::kInvalidParameter);
  }
  auto run = std::make_shared<LogUploadRun>();
  run->bid = std::string(call.bid());
  for (const auto& file : files->GetArray()) {
    LogUploadFile upload;
    if (!read_upload_file(file, upload, clock_->wall_ms() / 1000))
      return ServiceReply::error(result_code::kInvalidParameter);
    upload.device_sn = upload.module == kAircraftModule ? aircraft_sn_ : sn_;
    run->files.push_back(std::move(upload));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (log_upload_ && !log_upload_->finished) return ServiceReply::error(result_code::kExportingLogs);
    log_upload_ = run;
  }
  scheduler_.after(std::chrono::milliseconds(scaled_ms(kStepSeconds)), [this, run] { log_upload_step(run); });
  return ServiceReply::ok();
}

// One step of the upload on the scheduler thread: every file still going gains kPercentStep. The run ends when
// no file is left going: "canceled" when any file was canceled, else "ok".
void SimDock::log_upload_step(std::shared_ptr<LogUploadRun> run) {
  samples::JsonBuilder data;
  bool done = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (run->finished) return;
    bool any_canceled = false;
    for (LogUploadFile& file : run->files) {
      if (!file.canceled && file.percent < 100) {
        file.percent = std::min(100, file.percent + kPercentStep);
        if (file.percent == 100) file.finish_time_ms = clock_->wall_ms();
      }
      done = done && (file.canceled || file.percent == 100);
      any_canceled = any_canceled || file.canceled;
    }
    run->finished = done;
    const char* status = !done ? "in_progress" : any_canceled ? "canceled" : "ok";
    data.num("result", 0).open_object("output").str("status", status).open_object("ext").open_array("files");
    for (const LogUploadFile& file : run->files) {
      const char* file_status = file.canceled ? "canceled" : file.percent == 100 ? "ok" : "in_progress";
      double rate = file.canceled ? 0 : static_cast<double>(file.size) * kPercentStep / 100 / kStepSeconds;
      data.open_object()
          .str("module", file.module)
          .num("size", file.size)
          .str("device_sn", file.device_sn)
          .str("key", file.key)
          .str("fingerprint", "")
          .open_object("progress")
          .num("current_step", file.percent < 50 ? 1 : 2)  // 1 packing the logs, 2 uploading them
          .num("total_step", 2)
          .num("progress", file.percent)
          .num("finish_time", file.finish_time_ms)
          .real("upload_rate", file.percent == 100 ? 0 : rate, 1)
          .num("result", 0)
          .str("status", file_status)
          .close_object()
          .close_object();
    }
    data.close_array().close_object().close_object();
  }
  EventOptions options;
  options.bid = run->bid;  // need_reply 0 (docs/protocol.md#events)
  samples::warn_if_failed(log_, client_->publish_event("fileupload_progress", data.finish(), options),
                          "fileupload_progress");
  if (!done) {
    scheduler_.after(std::chrono::milliseconds(scaled_ms(kStepSeconds)), [this, run] { log_upload_step(run); });
  }
}

}  // namespace docklink::sim
