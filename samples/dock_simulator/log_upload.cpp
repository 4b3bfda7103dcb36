// Remote log export (docs/protocol.md#services, #files): fileupload_list lists the simulated boot logs of the
// aircraft and the dock (boot_logs.hpp); fileupload_start writes each requested set of logs as one text file in
// --files-dir and uploads it with dji::LogUploader to the object store the call names, under the call's object
// key, with fileupload_progress per file on the call's bid; fileupload_update with status cancel stops them. The
// services are typed (the product's generated structs): data that does not decode is answered 325001 by the SDK.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

#include "boot_logs.hpp"
#include "docklink/result_codes.hpp"
#include "media_files.hpp"
#include "product_services.hpp"
#include "sim_dock.hpp"
#include "sim_files.hpp"

namespace docklink::sim {

namespace {

using generated::shared::DeviceModule;

constexpr const char* kDockModule = "3";  // the wire text of DeviceModule::kDock

// One device's logs in fileupload_list's reply: its boot logs, or none with 325012 when it cannot be reached.
generated::shared::FileuploadListReplyFilesItem module_logs(const std::string& device_sn, DeviceModule module,
                                                            bool reachable, std::int64_t now_s) {
  generated::shared::FileuploadListReplyFilesItem item;
  item.device_sn = device_sn;
  item.module = module;
  item.result = reachable ? 0 : result_code::kAircraftNotConnected;
  item.list.emplace();
  if (!reachable) return item;
  for (const BootLog& log : boot_logs(device_sn, module == DeviceModule::kDock, now_s)) {
    generated::shared::FileuploadListReplyFilesItemListItem entry;
    entry.boot_index = log.boot_index;
    entry.start_time = log.start_time;
    entry.end_time = log.end_time;
    entry.size = log.size;
    item.list->push_back(entry);
  }
  return item;
}

// True when every file names an object key and only boots its device has.
bool known_logs(const generated::shared::FileuploadStart& start, const std::string& dock_sn,
                const std::string& aircraft_sn) {
  for (const auto& file : start.params.files) {
    bool dock = file.module == DeviceModule::kDock;
    if (file.object_key.empty() || file.list.empty()) return false;
    for (const auto& entry : file.list) {
      if (!boot_log_text(dock ? dock_sn : aircraft_sn, dock, entry.boot_index)) return false;
    }
  }
  return true;
}

}  // namespace

void SimDock::register_log_upload() {
  visit_services(product_, [this](auto services) {
    using Services = decltype(services);
    serve<typename Services::FileuploadList>(
        [this](const generated::shared::FileuploadList& params, ServiceCall&) { return fileupload_list(params); });
    serve<typename Services::FileuploadStart>(
        [this](const generated::shared::FileuploadStart& params, ServiceCall& call) {
          if (params.params.files.empty() || !known_logs(params, sn_, aircraft_sn_)) {
            return ServiceReply::error(result_code::kInvalidParameter);
          }
          // The uploader decodes the call itself (storage, files) and answers 325009 while a run goes on.
          return logs_ ? logs_->handle_start(call) : ServiceReply::error(result_code::kCommandFailed);
        });
    serve<typename Services::FileuploadUpdate>([this](const generated::shared::FileuploadUpdate&, ServiceCall& call) {
      return logs_ ? logs_->handle_update(call) : ServiceReply::error(result_code::kCommandFailed);
    });
  });
}

ServiceReply SimDock::fileupload_list(const generated::shared::FileuploadList& params) {
  if (params.module_list.empty()) return ServiceReply::error(result_code::kInvalidParameter);
  bool aircraft_online;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    aircraft_online = state_.drone_powered;
  }
  generated::shared::FileuploadListReply reply;
  reply.files.emplace();
  std::int64_t now_s = clock_->wall_ms() / 1000;
  for (DeviceModule module : params.module_list) {
    bool aircraft = module == DeviceModule::kAircraft;
    reply.files->push_back(module_logs(aircraft ? aircraft_sn_ : sn_, module, !aircraft || aircraft_online, now_s));
  }
  rapidjson::StringBuffer buffer;
  generated::JsonWriter writer(buffer);
  to_json(reply, writer);
  // The protocol puts `files` directly under data, not under output (docs/protocol.md#replies).
  ServiceReply answer;
  answer.flat_json.assign(buffer.GetString(), buffer.GetSize());
  return answer;
}

// The uploader's file mapper, on the client's strand: the requested boots' logs one after the other in one file
// of --files-dir (rewritten by each request for the same logs; one run at a time, so none is being read then).
Result<std::string> SimDock::write_log_file(const dji::LogRequest& request) const {
  bool dock = request.module == kDockModule;
  const std::string& device_sn = dock ? sn_ : aircraft_sn_;
  std::string name = safe_segment(device_sn) + "-" + (dock ? "dock" : "aircraft");
  std::string text;
  for (std::int64_t boot : request.boot_indexes) {
    auto log = boot_log_text(device_sn, dock, boot);
    if (!log) return Status(StatusCode::kNotFound, "no boot " + std::to_string(boot) + " of " + device_sn);
    text += *log;
    name += "-" + std::to_string(boot);
  }
  std::string path = files_->directory() + "/" + safe_segment(sn_) + "/logs/" + name + ".log";
  Status written = write_file(path, text);
  if (!written) return written;
  return path;
}

void SimDock::start_log_uploader() {
  dji::LogUploaderOptions options;
  options.map_file = [this](const dji::LogRequest& request) { return write_log_file(request); };
  options.hashing = &files_->hashing();  // each file's MD5 as its fingerprint
  options.max_bytes_per_second = options_.log_upload_bytes_per_second;
  port::Platform platform;
  platform.clock = clock_;
  platform.log = log_;
  logs_ = std::make_unique<dji::LogUploader>(*client_, files_->manager(), platform, std::move(options));
}

}  // namespace docklink::sim
