#include "s3_test_support.hpp"

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/posix_clock.hpp"

namespace docklink::test {
namespace {

transfer::S3ObjectAddress address_of(const S3rverProcess& server, const std::string& key) {
  auto address =
      transfer::s3_object_address(server.endpoint(), server.options().bucket, key, transfer::S3Addressing::kPathStyle);
  return address ? address.value() : transfer::S3ObjectAddress{};
}

RecordingSink send(port::HttpClient& http, port::HttpRequest request, const std::string& body) {
  RecordingSink sink;
  StringSource source(body);
  request.body_size = body.size();
  Status performed = http.perform(request, body.empty() ? nullptr : &source, sink);
  if (!performed) sink.body = "transport error: " + performed.to_string();
  return sink;
}

}  // namespace

transfer::S3Credentials s3rver_credentials(const S3rverProcess& server, const std::string& secret) {
  transfer::S3Credentials credentials;
  credentials.access_key_id = server.options().access_key;
  credentials.secret_access_key = secret.empty() ? server.options().secret : secret;
  return credentials;
}

RecordingSink s3_send_signed(port::HttpClient& http, const port::Hashing& hashing, const S3rverProcess& server,
                             const transfer::S3Credentials& credentials, const std::string& method,
                             const std::string& key, const std::string& body) {
  const transfer::S3ObjectAddress address = address_of(server, key);
  transfer::SigV4Request signed_part;
  signed_part.method = method;
  signed_part.path = address.path;
  signed_part.headers = {{"Host", address.host}};
  signed_part.payload_sha256 = ports::sha256_hex(body);
  auto headers = transfer::sigv4_sign_headers(hashing, credentials, {}, ports::PosixClock().wall_ms(), signed_part);
  port::HttpRequest request;
  request.method = method;
  request.url = address.url;
  request.headers = signed_part.headers;
  if (headers) request.headers.insert(request.headers.end(), headers.value().begin(), headers.value().end());
  return send(http, request, body);
}

std::string s3_presigned_url(const port::Hashing& hashing, const S3rverProcess& server,
                             const transfer::S3Credentials& credentials, const std::string& method,
                             const std::string& key, long expires_seconds) {
  const transfer::S3ObjectAddress address = address_of(server, key);
  transfer::SigV4Request signed_part;
  signed_part.method = method;
  signed_part.path = address.path;
  signed_part.headers = {{"Host", address.host}};
  auto query = transfer::sigv4_presign_query(hashing, credentials, {}, ports::PosixClock().wall_ms(), signed_part,
                                             expires_seconds);
  return query ? address.url + "?" + query.value() : std::string();
}

RecordingSink s3_send_url(port::HttpClient& http, const std::string& method, const std::string& url,
                          const std::string& body) {
  port::HttpRequest request;
  request.method = method;
  request.url = url;
  return send(http, request, body);
}

}  // namespace docklink::test
