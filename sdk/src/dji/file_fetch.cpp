// Parsing of the file members of DJI's wayline and geofence messages, and their downloads on the TransferManager.
#include <atomic>
#include <cctype>
#include <memory>
#include <utility>

#include "docklink/dji/file_fetch.hpp"
#include "json_read.hpp"
#include "text_rules.hpp"

namespace docklink::dji {
namespace {

using docklink::detail::is_hex_digits;
using docklink::detail::string_member;

// A name used as a file name in our directory: no path, no hidden or parent entries.
bool plain_file_name(const std::string& name) {
  if (name.empty() || name.size() > 90 || name[0] == '.') return false;  // "area-<name>" is a resume key (<= 100)
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

Status invalid(const char* why) { return Status(StatusCode::kInvalidArgument, why); }

Result<DjiFile> parse_area_file(const rapidjson::Value& entry) {
  if (!entry.IsObject()) return invalid("flight_areas_get: file entry is not an object");
  DjiFile file;
  file.name = string_member(entry, "name");
  file.url = string_member(entry, "url");
  file.digest = string_member(entry, "checksum");
  file.algorithm = port::HashAlgorithm::kSha256;
  auto size = entry.FindMember("size");
  if (size != entry.MemberEnd() && size->value.IsInt64() && size->value.GetInt64() >= 0) {
    file.size = static_cast<std::uint64_t>(size->value.GetInt64());
  }
  if (file.url.empty()) return invalid("flight_areas_get: file without url");
  if (!is_hex_digits(file.digest, 64)) return invalid("flight_areas_get: checksum is not 64 hex digits");
  if (!plain_file_name(file.name)) return invalid("flight_areas_get: unusable file name");
  return file;
}

// Collects the results of fetch_files. Each download writes its own slot; the last to count down (a download's
// callback or fetch_files itself) sees every slot and calls done.
struct FilesBatch {
  std::vector<transfer::DownloadResult> results;
  std::atomic<std::size_t> pending{0};
  FilesDoneCallback done;

  void ended(std::size_t index, const transfer::DownloadResult& result) {
    results[index] = result;
    count_down();
  }
  void count_down() {
    if (pending.fetch_sub(1, std::memory_order_acq_rel) == 1 && done) done(results);
  }
};

}  // namespace

Result<DjiFile> parse_wayline_file(const rapidjson::Value& holder) {
  if (!holder.IsObject()) return invalid("wayline: data is not an object");
  auto member = holder.FindMember("file");
  if (member == holder.MemberEnd() || !member->value.IsObject()) return invalid("wayline: no file");
  return wayline_file(string_member(member->value, "url"), string_member(member->value, "fingerprint"));
}

Result<DjiFile> wayline_file(std::string url, std::string fingerprint) {
  DjiFile file;
  file.url = std::move(url);
  file.digest = std::move(fingerprint);
  file.algorithm = port::HashAlgorithm::kMd5;
  if (file.url.empty()) return invalid("wayline: file without url");
  if (!is_hex_digits(file.digest, 32)) return invalid("wayline: fingerprint is not 32 hex digits (MD5)");
  return file;
}

Result<std::vector<DjiFile>> parse_flight_area_files(const rapidjson::Value& output) {
  std::vector<DjiFile> files;
  if (!output.IsObject()) return invalid("flight_areas_get: output is not an object");
  auto member = output.FindMember("files");
  if (member == output.MemberEnd()) return files;
  if (!member->value.IsArray()) return invalid("flight_areas_get: files is not an array");
  for (const auto& entry : member->value.GetArray()) {
    auto file = parse_area_file(entry);
    if (!file.is_ok()) return file.status();
    files.push_back(std::move(file).value());
  }
  return files;
}

Result<transfer::TransferId> fetch_file(transfer::TransferManager& manager, const DjiFile& file,
                                        std::string destination, std::string resume_key,
                                        transfer::DownloadDoneCallback done) {
  transfer::DownloadRequest request;
  request.url = file.url;
  request.destination = std::move(destination);
  request.expected_size = file.size;
  request.expected_digest = file.digest;
  request.digest_algorithm = file.algorithm;
  request.resume_key = std::move(resume_key);
  return manager.submit_download(std::move(request), std::move(done));
}

void fetch_files(transfer::TransferManager& manager, const std::vector<DjiFile>& files, const std::string& directory,
                 FilesDoneCallback done) {
  auto batch = std::make_shared<FilesBatch>();
  batch->results.resize(files.size());
  batch->pending = files.size() + 1;  // one extra, released below, so no download completes the batch early
  batch->done = std::move(done);
  for (std::size_t i = 0; i < files.size(); ++i) {
    auto submitted = fetch_file(
        manager, files[i], directory + "/" + files[i].name, "area-" + files[i].name,
        [batch, i](transfer::TransferId, const transfer::DownloadResult& result) { batch->ended(i, result); });
    if (!submitted.is_ok()) {
      transfer::DownloadResult refused;
      refused.status = submitted.status();
      refused.error = transfer::TransferError::kInvalidRequest;
      batch->ended(i, refused);
    }
  }
  batch->count_down();
}

}  // namespace docklink::dji
