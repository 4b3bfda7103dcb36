// One run of an upload on the caller's thread: a single PUT (signed or to a pre-signed URL) or a multipart
// upload (create or resume from the record, the missing parts, complete), each request retried on transient
// failures and re-signed once with fresh credentials after a refusal. Private to the engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "docklink/transfer/upload.hpp"
#include "upload_credentials.hpp"
#include "upload_exchange.hpp"
#include "upload_file.hpp"
#include "upload_payload_hash.hpp"
#include "upload_record.hpp"

namespace docklink::transfer::detail {

/// One S3 request of the engine, before signing.
struct S3Call {
  std::string method;
  std::vector<QueryParameter> query;
  std::string payload_sha256 = std::string(kEmptyPayloadSha256);
  port::HttpBodySource* body = nullptr;  ///< Null: no body.
  std::uint64_t body_size = 0;
  bool with_content_type = false;  ///< Send (and sign) the request's Content-Type.
};

/// The state of one upload run. Used once, by one thread.
class UploadRun {
 public:
  UploadRun(const UploaderPorts& ports, const UploaderOptions& options, const UploadRequest& request,
            TransferControl& control, TransferWaiter& waiter);

  /// Runs the upload to its end.
  UploadResult run();

 private:
  // Setting up and single PUTs (upload_run.cpp).
  ExchangeOutcome prepare();
  ExchangeOutcome put_whole();
  ExchangeOutcome put_presigned();
  // Multipart (upload_multipart.cpp).
  ExchangeOutcome multipart();
  ExchangeOutcome resume_or_create();
  bool record_matches(const UploadRecord& record) const;
  ExchangeOutcome create_upload();
  ExchangeOutcome send_part(std::uint32_t number);
  void hash_ahead_after(std::uint32_t number);
  ExchangeOutcome complete_upload();
  void abort_upload();
  void save_record();
  void remove_record();
  // Payload hashes (upload_request.cpp).
  Result<std::string> payload_hash(std::uint64_t offset, std::uint64_t length);
  bool signs_payload() const;
  // Requests (upload_request.cpp).
  ExchangeOutcome perform_signed(const S3Call& call);
  ExchangeOutcome attempt_signed(const S3Call& call, const S3Credentials& credentials, bool cancellable);
  ExchangeOutcome perform_url(const port::HttpRequest& request);
  ExchangeOutcome exchange(const port::HttpRequest& request, port::HttpBodySource* body);
  bool back_off(unsigned retry, const ExchangeOutcome& outcome);
  void adopt_server_clock(const ExchangeOutcome& outcome);
  port::HttpRequest base_request(bool cancellable) const;
  void count_sent(std::size_t bytes);
  void report_progress(bool final);
  // Ending (upload_finish.cpp).
  UploadResult finish(ExchangeOutcome outcome);
  UploadResult stopped(ExchangeOutcome outcome);
  UploadResult make_result(ExchangeOutcome outcome) const;
  void log(port::LogLevel level, const std::string& message) const;

  const UploaderPorts& ports_;
  const UploaderOptions& options_;
  const UploadRequest& request_;
  TransferControl& control_;
  TransferWaiter& waiter_;
  CredentialsKeeper credentials_;
  TransferPacer pacer_;
  std::vector<char> buffer_;
  FileRangeSource file_;
  PayloadHashAhead payload_hashes_;
  FileIdentity identity_;
  S3ObjectAddress address_;
  std::uint64_t part_size_ = 0;
  std::uint32_t part_count_ = 0;  // 0: single PUT
  UploadRecord record_;
  bool persisted_ = false;  // record_ is (meant to be) in the Store
  // Counters and progress.
  std::uint64_t finished_bytes_ = 0;  // bytes of the file already on the server (finished parts)
  std::uint64_t request_bytes_ = 0;   // bytes of the current request's body read so far
  std::uint64_t sent_ = 0;
  std::uint64_t sent_at_last_report_ = 0;
  std::int64_t last_report_ms_ = 0;
  std::uint32_t parts_sent_ = 0;
  std::uint32_t parts_resumed_ = 0;
  unsigned attempts_ = 0;
  int http_status_ = 0;
  std::string etag_;
  std::int64_t clock_offset_ms_ = 0;  // server time minus ours, learnt from a RequestTimeTooSkewed answer
};

}  // namespace docklink::transfer::detail
