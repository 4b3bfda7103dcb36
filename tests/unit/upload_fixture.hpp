// What the uploader's unit tests share: the download fixture's manual clock and waiter, a scripted HTTP client
// that records request bodies, an in-memory store, real mbedTLS hashing, a credentials provider that counts its
// calls, and S3's answers (created, part stored, completed, error bodies).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "docklink/transfer/upload.hpp"
#include "download_fixture.hpp"

namespace docklink::test {

inline constexpr std::uint64_t kMiB = 1024u * 1024u;

/// A 200 answer with `headers` and `body`.
inline FakeResponse s3_ok(std::vector<port::HttpHeader> headers = {}, std::string body = {}) {
  FakeResponse response;
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

/// An S3 error answer: `status` with an <Error> body naming `code`.
inline FakeResponse s3_error(int status, const std::string& code) {
  FakeResponse response;
  response.status = status;
  response.body = "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code><Message>scripted</Message></Error>";
  return response;
}

/// CreateMultipartUpload's answer with `upload_id`.
inline FakeResponse s3_created(const std::string& upload_id = "UP-1") {
  return s3_ok({}, "<InitiateMultipartUploadResult><Bucket>media</Bucket><Key>k</Key><UploadId>" + upload_id +
                       "</UploadId></InitiateMultipartUploadResult>");
}

/// UploadPart's answer: ETag "etag-<number>".
inline FakeResponse s3_part_stored(int number) { return s3_ok({{"ETag", "\"etag-" + std::to_string(number) + "\""}}); }

/// CompleteMultipartUpload's answer.
inline FakeResponse s3_completed() {
  return s3_ok({}, "<CompleteMultipartUploadResult><ETag>&quot;final-2&quot;</ETag></CompleteMultipartUploadResult>");
}

/// The value of query parameter `name` in `url`, or "" (tests only: no decoding).
inline std::string query_value(const std::string& url, const std::string& name) {
  std::size_t at = url.find(name + "=");
  if (at == std::string::npos) return {};
  std::size_t start = at + name.size() + 1;
  return url.substr(start, url.find('&', start) - start);
}

/// One test's world for the uploader.
struct UploadWorld {
  UploadWorld() : waiter(clock) { options.waiter = &waiter; }

  transfer::UploaderPorts ports() { return {&http, &hashing, &clock, &store, &log, nullptr}; }
  transfer::Uploader uploader() { return transfer::Uploader(ports(), options); }

  /// A signed upload of `size` pattern bytes (written to a file), multipart from 5 MiB with 5 MiB parts.
  transfer::UploadRequest request_for(std::uint64_t size) {
    content = pattern_content(static_cast<std::size_t>(size));
    write_file(source(), content);
    transfer::UploadRequest request;
    request.source = source();
    request.destination.endpoint = "https://s3.example.com";
    request.destination.bucket = "media";
    request.destination.key = "flight 1/DJI_0001.JPG";
    request.credentials = provider();
    request.multipart_threshold = 5 * kMiB;
    request.part_size = 5 * kMiB;
    request.resume_key = "up";
    return request;
  }
  transfer::CredentialsProvider provider() {
    return [this](transfer::CredentialsReason reason) -> Result<transfer::ExpiringCredentials> {
      reasons.push_back(reason);
      return hand_out(reasons.size());
    };
  }
  /// S3's answers to a whole multipart upload: created as `upload_id`, parts 1 to `parts` stored, completed.
  void script_multipart(int parts, const std::string& upload_id = "UP-1") {
    http.then(s3_created(upload_id));
    for (int part = 1; part <= parts; ++part) http.then(s3_part_stored(part));
    http.then(s3_completed());
  }
  std::string source() const { return files.directory + "/source.bin"; }
  bool has_record() const { return store.get("ul.up").is_ok(); }

  DownloadWorld files;  // its temporary directory (the rest of it is unused)
  FakeHttpClient http;
  ports::MbedtlsHashing hashing;
  ports::MemoryStore store;
  ManualClock clock;
  ManualWaiter waiter;
  RecordingLog log;
  transfer::UploaderOptions options;
  std::string content;
  std::vector<transfer::CredentialsReason> reasons;
  /// The credentials of the n-th provider call (1-based); by default the same key pair without expiry.
  std::function<transfer::ExpiringCredentials(std::size_t)> hand_out = [](std::size_t) {
    return transfer::ExpiringCredentials{{"AKIDEXAMPLE", "very-secret-key", "session-token-secret"}, 0};
  };
};

}  // namespace docklink::test
