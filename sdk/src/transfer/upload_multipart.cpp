// A multipart upload: created (or resumed from its record), the parts the server does not have yet sent in
// ascending order with the record saved after each, then completed; aborted on cancel.
#include <algorithm>

#include "digest_text.hpp"    // lower_hex
#include "download_http.hpp"  // find_header
#include "upload_run.hpp"
#include "upload_s3_xml.hpp"

namespace docklink::transfer::detail {
namespace {

// The CompleteMultipartUpload body, held in memory: at most kUploadMaxParts short lines.
class TextBody final : public port::HttpBodySource {
 public:
  explicit TextBody(const std::string& text) : text_(text) {}
  Result<std::size_t> read(char* buffer, std::size_t capacity) override {
    std::size_t count = text_.copy(buffer, capacity, offset_);
    offset_ += count;
    return count;
  }
  Status rewind() override {
    offset_ = 0;
    return Status::ok();
  }

 private:
  const std::string& text_;
  std::size_t offset_ = 0;
};

ExchangeOutcome protocol_failure(const std::string& why) {
  return failed_exchange(Status(StatusCode::kMalformed, why), TransferError::kServerProtocol);
}

// An ETag goes into the record (one line) and the Complete XML as it is: printable, no markup, bounded.
bool is_usable_etag(std::string_view etag) {
  if (etag.empty() || etag.size() > 200) return false;
  return std::none_of(etag.begin(), etag.end(),
                      [](char c) { return c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&'; });
}

bool has_part(const std::vector<UploadedPart>& parts, std::uint32_t number) {
  return std::binary_search(parts.begin(), parts.end(), UploadedPart{number, {}},
                            [](const UploadedPart& a, const UploadedPart& b) { return a.number < b.number; });
}

}  // namespace

ExchangeOutcome UploadRun::multipart() {
  ExchangeOutcome outcome = resume_or_create();
  bool restarted = false;
  for (std::uint32_t number = 1; outcome.ok() && number <= part_count_; ++number) {
    if (has_part(record_.parts, number)) continue;
    outcome = send_part(number);
    // The server forgot a resumed upload (aborted, or purged as stale): start a new one, once.
    if (!outcome.ok() && outcome.s3_code == "NoSuchUpload" && parts_resumed_ > 0 && !restarted) {
      log(port::LogLevel::kInfo, "the server no longer knows the resumed upload; starting a new one");
      restarted = true;
      parts_resumed_ = 0;
      finished_bytes_ = 0;
      outcome = create_upload();
      number = 0;
    }
  }
  return outcome.ok() ? complete_upload() : outcome;
}

ExchangeOutcome UploadRun::resume_or_create() {
  if (request_.resume_key.empty() || ports_.store == nullptr) return create_upload();
  auto text = ports_.store->get(upload_store_key(request_.resume_key));
  if (!text) return create_upload();
  auto record = decode_upload_record(text.value());
  if (!record) {
    log(port::LogLevel::kWarn, "discarding corrupt upload record: " + record.status().message());
    remove_record();
    return create_upload();
  }
  if (!record_matches(record.value())) {
    log(port::LogLevel::kInfo, "upload record belongs to another file or version; starting a new upload");
    return create_upload();
  }
  if (!record.value().parts.empty() && record.value().parts.back().number > part_count_) {
    log(port::LogLevel::kWarn, "upload record lists parts beyond the file's end; starting a new upload");
    return create_upload();
  }
  record_ = std::move(record).value();
  persisted_ = true;
  for (const UploadedPart& part : record_.parts) {
    std::uint64_t offset = static_cast<std::uint64_t>(part.number - 1) * part_size_;
    finished_bytes_ += std::min(part_size_, identity_.size - offset);
  }
  parts_resumed_ = static_cast<std::uint32_t>(record_.parts.size());
  log(port::LogLevel::kInfo, "resuming upload: " + std::to_string(parts_resumed_) + " of " +
                                 std::to_string(part_count_) + " parts already stored");
  return {};
}

bool UploadRun::record_matches(const UploadRecord& record) const {
  return record.source == request_.source && record.size == identity_.size && record.modified == identity_.modified &&
         record.bucket == request_.destination.bucket && record.key == request_.destination.key &&
         record.part_size == part_size_;
}

ExchangeOutcome UploadRun::create_upload() {
  S3Call call;
  call.method = "POST";
  call.query = {{"uploads", ""}};
  call.with_content_type = true;  // the object's metadata goes with the creation
  ExchangeOutcome outcome = perform_signed(call);
  if (!outcome.ok()) return outcome;
  std::string upload_id = xml_element_text(outcome.body, "UploadId").value_or("");
  if (upload_id.empty() || upload_id.find_first_of("\r\n") != std::string::npos)
    return protocol_failure("CreateMultipartUpload answered without a usable UploadId");
  record_ = UploadRecord{request_.source,          identity_.size, identity_.modified,   request_.destination.bucket,
                         request_.destination.key, part_size_,     std::move(upload_id), {}};
  persisted_ = true;
  save_record();
  return outcome;
}

ExchangeOutcome UploadRun::send_part(std::uint32_t number) {
  const std::uint64_t offset = static_cast<std::uint64_t>(number - 1) * part_size_;
  const std::uint64_t length = std::min(part_size_, identity_.size - offset);
  FileOutcome selected = file_.select(offset, length);
  if (!selected.ok()) return failed_exchange(selected.status, selected.error);
  auto hash = payload_hash(offset, length);
  if (!hash) return failed_exchange(hash.status(), TransferError::kFileIo);
  hash_ahead_after(number);  // hashed on its own thread while this part is sent
  S3Call call;
  call.method = "PUT";
  call.query = {{"partNumber", std::to_string(number)}, {"uploadId", record_.upload_id}};
  call.payload_sha256 = hash.value();
  call.body = length > 0 ? &file_ : nullptr;
  call.body_size = length;
  ExchangeOutcome outcome = perform_signed(call);
  if (!outcome.ok()) return outcome;
  std::string etag(find_header(outcome.headers, "ETag").value_or(""));
  if (!is_usable_etag(etag)) return protocol_failure("UploadPart answered without a usable ETag");
  auto at = std::upper_bound(record_.parts.begin(), record_.parts.end(), number,
                             [](std::uint32_t n, const UploadedPart& part) { return n < part.number; });
  record_.parts.insert(at, UploadedPart{number, std::move(etag)});
  finished_bytes_ += length;
  ++parts_sent_;
  save_record();
  return outcome;
}

// Starts the payload hash of the part after `number` that the server does not have yet, if any.
void UploadRun::hash_ahead_after(std::uint32_t number) {
  if (!signs_payload()) return;
  for (std::uint32_t next = number + 1; next <= part_count_; ++next) {
    if (has_part(record_.parts, next)) continue;
    const std::uint64_t offset = static_cast<std::uint64_t>(next - 1) * part_size_;
    payload_hashes_.start(offset, std::min(part_size_, identity_.size - offset));
    return;
  }
}

ExchangeOutcome UploadRun::complete_upload() {
  std::string xml = "<CompleteMultipartUpload>";
  for (const UploadedPart& part : record_.parts) {
    xml += "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>" + part.etag + "</ETag></Part>";
  }
  xml += "</CompleteMultipartUpload>";
  auto hasher = ports_.hashing->new_hasher(port::HashAlgorithm::kSha256);
  hasher->update(xml);
  TextBody body(xml);
  S3Call call;
  call.method = "POST";
  call.query = {{"uploadId", record_.upload_id}};
  call.payload_sha256 = lower_hex(hasher->finish());
  call.body = &body;
  call.body_size = xml.size();
  ExchangeOutcome outcome = perform_signed(call);
  if (!outcome.ok()) return outcome;
  etag_ = xml_element_text(outcome.body, "ETag").value_or("");
  remove_record();
  return outcome;
}

// Frees the parts on the server; best effort (the record goes either way, and a lifecycle rule catches leftovers).
void UploadRun::abort_upload() {
  if (record_.upload_id.empty()) return;
  CredentialsOutcome credentials = credentials_.current();
  if (credentials.credentials == nullptr) return;
  S3Call call;
  call.method = "DELETE";
  call.query = {{"uploadId", record_.upload_id}};
  ExchangeOutcome outcome = attempt_signed(call, *credentials.credentials, false);  // the stop must not stop it
  if (!outcome.ok()) log(port::LogLevel::kInfo, "abort of the multipart upload failed: " + outcome.status.message());
}

void UploadRun::save_record() {
  if (request_.resume_key.empty() || ports_.store == nullptr) return;
  auto text = encode_upload_record(record_);
  Status saved = text ? ports_.store->put(upload_store_key(request_.resume_key), text.value()) : text.status();
  if (!saved) log(port::LogLevel::kWarn, "cannot save upload record: " + saved.to_string());
}

void UploadRun::remove_record() {
  persisted_ = false;
  if (request_.resume_key.empty() || ports_.store == nullptr) return;
  Status removed = ports_.store->remove(upload_store_key(request_.resume_key));
  if (!removed) log(port::LogLevel::kWarn, "cannot remove upload record: " + removed.to_string());
}

}  // namespace docklink::transfer::detail
