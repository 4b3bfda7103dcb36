// fileupload_progress: {result, output{status, ext{files[]{device_sn, module, size, fingerprint, key,
// progress{current_step, total_step, progress, finish_time, upload_rate, result, status}}}}}, with the bid of the
// fileupload_start call and no need_reply (as DJI's docks send it).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "docklink/result_codes.hpp"
#include "json_write.hpp"
#include "log_state.hpp"

namespace docklink::dji {

std::int32_t log_result_code(transfer::TransferError error) noexcept {
  switch (error) {
    case transfer::TransferError::kNone:
      return result_code::kSuccess;
    case transfer::TransferError::kCredentials:
    case transfer::TransferError::kCredentialsExpired:
      return result_code::kLogCredentialsRefused;
    case transfer::TransferError::kFileIo:
    case transfer::TransferError::kInvalidRequest:
      return result_code::kLogFileUnavailable;
    default:
      return result_code::kLogUploadFailed;
  }
}

namespace detail {
namespace {

using docklink::detail::JsonWriter;
using docklink::detail::write_string_member;

// current_step / total_step: the file's place in the run (1-based) and the run's number of files.
void write_file(JsonWriter& writer, const LogFile& file, std::size_t step, std::size_t steps) {
  writer.StartObject();
  write_string_member(writer, "device_sn", file.request.device_sn);
  write_string_member(writer, "module", file.request.module);
  writer.Key("size");
  writer.Uint64(file.size);
  write_string_member(writer, "fingerprint", file.fingerprint);
  write_string_member(writer, "key", file.request.object_key);
  writer.Key("progress");
  writer.StartObject();
  writer.Key("current_step");
  writer.Uint64(step);
  writer.Key("total_step");
  writer.Uint64(steps);
  writer.Key("progress");
  writer.Int(file.percent);
  writer.Key("finish_time");
  writer.Int64(file.finish_time_ms);
  writer.Key("upload_rate");
  writer.Uint64(file.rate);
  writer.Key("result");
  writer.Int(file.result);
  writer.Key("status");
  writer.String(to_string(file.status));
  writer.EndObject();
  writer.EndObject();
}

}  // namespace

std::string LogRun::progress_json(const char* status, std::int32_t result) const {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("result");
  writer.Int(result);
  writer.Key("output");
  writer.StartObject();
  writer.Key("status");
  writer.String(status);
  writer.Key("ext");
  writer.StartObject();
  writer.Key("files");
  writer.StartArray();
  for (std::size_t i = 0; i < files.size(); ++i) write_file(writer, files[i], i + 1, files.size());
  writer.EndArray();
  writer.EndObject();
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void LogRun::publish(const std::string& data_json) {
  {
    std::lock_guard<std::mutex> lock(state->mutex);
    if (state->closed) return;
  }
  EventOptions event;
  event.bid = bid;  // DJI's cloud matches fileupload_progress to fileupload_start by bid
  // A refused publish (offline queue full, client stopped) loses one report; the uploads go on regardless.
  static_cast<void>(state->client.publish_event("fileupload_progress", data_json, event));
}

}  // namespace detail
}  // namespace docklink::dji
