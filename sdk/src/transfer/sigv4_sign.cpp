// SigV4 signing: the signing key, the string to sign, header-signed requests and pre-signed URLs.
#include <algorithm>
#include <array>

#include "docklink/config_defaults.hpp"
#include "docklink/transfer/sigv4.hpp"
#include "transfer/digest_text.hpp"
#include "transfer/sigv4_detail.hpp"

namespace docklink::transfer {

namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr std::size_t kHmacBytes = 32;

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, "SigV4: " + std::move(message)); }

// A part of the credential scope ("AKIA…/day/region/service/aws4_request"): printable, no '/', no blank.
bool valid_scope_part(std::string_view part) {
  return !part.empty() && std::all_of(part.begin(), part.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F && c != '/' && c != ',';
  });
}

// What every signature needs. Messages name the field, never a secret's value.
Status check_signing_inputs(const S3Credentials& credentials, const SigV4Scope& scope, std::int64_t unix_ms) {
  if (!valid_scope_part(credentials.access_key_id)) return invalid("the access key id is empty or malformed");
  if (credentials.secret_access_key.empty()) return invalid("the secret access key is empty");
  if (!valid_scope_part(scope.region)) return invalid("the region is empty or malformed");
  if (!valid_scope_part(scope.service)) return invalid("the service is empty or malformed");
  if (!detail::amz_date_representable(unix_ms)) return invalid("the signing time is outside years 1970-9999");
  return Status::ok();
}

std::string credential_scope(std::string_view amz_date, const SigV4Scope& scope) {
  return std::string(amz_date.substr(0, 8)) + '/' + scope.region + '/' + scope.service + "/aws4_request";
}

// Lower-case hex HMAC of the string to sign under the day's signing key.
Result<std::string> signature_hex(const port::Hashing& hashing, std::string_view secret, const SigV4Scope& scope,
                                  std::string_view amz_date, std::string_view canonical_request) {
  const std::string key = sigv4_signing_key(hashing, secret, amz_date.substr(0, 8), scope);
  const std::string mac = hashing.hmac_sha256(key, sigv4_string_to_sign(hashing, amz_date, scope, canonical_request));
  if (key.size() != kHmacBytes || mac.size() != kHmacBytes) {
    return Status(StatusCode::kInternal, "SigV4: the hashing port returned no HMAC-SHA256");
  }
  return detail::lower_hex(mac);
}

bool names_header(const std::vector<port::HttpHeader>& headers, std::string_view lower_name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const port::HttpHeader& header) { return detail::ascii_lower(header.name) == lower_name; });
}

// The query parameters a pre-signed URL adds itself; a caller's own would make two signatures disagree.
bool is_presign_parameter(std::string_view name) {
  static constexpr std::array<std::string_view, 7> kReserved = {
      "x-amz-algorithm",      "x-amz-credential",    "x-amz-date",     "x-amz-expires",
      "x-amz-security-token", "x-amz-signedheaders", "x-amz-signature"};
  const std::string lower = detail::ascii_lower(name);
  return std::find(kReserved.begin(), kReserved.end(), lower) != kReserved.end();
}

}  // namespace

std::string sigv4_signing_key(const port::Hashing& hashing, std::string_view secret_access_key, std::string_view day,
                              const SigV4Scope& scope) {
  const std::string date_key = hashing.hmac_sha256("AWS4" + std::string(secret_access_key), day);
  const std::string region_key = hashing.hmac_sha256(date_key, scope.region);
  const std::string service_key = hashing.hmac_sha256(region_key, scope.service);
  return hashing.hmac_sha256(service_key, "aws4_request");
}

std::string sigv4_string_to_sign(const port::Hashing& hashing, std::string_view amz_date, const SigV4Scope& scope,
                                 std::string_view canonical_request) {
  return std::string(kAlgorithm) + '\n' + std::string(amz_date) + '\n' + credential_scope(amz_date, scope) + '\n' +
         detail::sha256_hex(hashing, canonical_request);
}

Result<std::vector<port::HttpHeader>> sigv4_sign_headers(const port::Hashing& hashing, const S3Credentials& credentials,
                                                         const SigV4Scope& scope, std::int64_t unix_ms,
                                                         const SigV4Request& request) {
  if (Status valid = check_signing_inputs(credentials, scope, unix_ms); !valid) return valid;
  if (request.payload_sha256.empty()) return invalid("the payload hash is empty");
  for (std::string_view own : {"x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "authorization"}) {
    if (names_header(request.headers, own)) return invalid("the request already has the header " + std::string(own));
  }
  const std::string amz_date = sigv4_amz_date(unix_ms);
  std::vector<port::HttpHeader> added = {{"x-amz-date", amz_date}, {"x-amz-content-sha256", request.payload_sha256}};
  if (!credentials.session_token.empty()) added.push_back({"x-amz-security-token", credentials.session_token});

  SigV4Request signed_request = request;
  signed_request.headers.insert(signed_request.headers.end(), added.begin(), added.end());
  auto canonical = sigv4_canonical_request(signed_request);
  if (!canonical) return canonical.status();
  auto signature = signature_hex(hashing, credentials.secret_access_key, scope, amz_date, canonical.value());
  if (!signature) return signature.status();
  const std::string signed_names =
      detail::signed_header_names(detail::canonical_headers(signed_request.headers).value());
  added.push_back({"Authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + '/' +
                                        credential_scope(amz_date, scope) + ",SignedHeaders=" + signed_names +
                                        ",Signature=" + signature.value()});
  return added;
}

Result<std::string> sigv4_presign_query(const port::Hashing& hashing, const S3Credentials& credentials,
                                        const SigV4Scope& scope, std::int64_t unix_ms, const SigV4Request& request,
                                        std::int64_t expires_seconds) {
  if (Status valid = check_signing_inputs(credentials, scope, unix_ms); !valid) return valid;
  if (expires_seconds < 1 || expires_seconds > defaults::kS3PresignMaxExpirySeconds) {
    return invalid("X-Amz-Expires must be 1 to " + std::to_string(defaults::kS3PresignMaxExpirySeconds) + " s");
  }
  for (const QueryParameter& parameter : request.query) {
    if (is_presign_parameter(parameter.name)) return invalid("the query already has " + parameter.name);
  }
  auto headers = detail::canonical_headers(request.headers);
  if (!headers) return headers.status();
  const std::string amz_date = sigv4_amz_date(unix_ms);

  SigV4Request signed_request = request;
  signed_request.payload_sha256 = std::string(kUnsignedPayload);
  auto& query = signed_request.query;
  query.push_back({"X-Amz-Algorithm", std::string(kAlgorithm)});
  query.push_back({"X-Amz-Credential", credentials.access_key_id + '/' + credential_scope(amz_date, scope)});
  query.push_back({"X-Amz-Date", amz_date});
  query.push_back({"X-Amz-Expires", std::to_string(expires_seconds)});
  if (!credentials.session_token.empty()) query.push_back({"X-Amz-Security-Token", credentials.session_token});
  query.push_back({"X-Amz-SignedHeaders", detail::signed_header_names(headers.value())});
  auto canonical = sigv4_canonical_request(signed_request);
  if (!canonical) return canonical.status();
  auto signature = signature_hex(hashing, credentials.secret_access_key, scope, amz_date, canonical.value());
  if (!signature) return signature.status();
  return sigv4_canonical_query(query) + "&X-Amz-Signature=" + signature.value();
}

namespace detail {

std::string sha256_hex(const port::Hashing& hashing, std::string_view data) {
  auto hasher = hashing.new_hasher(port::HashAlgorithm::kSha256);
  hasher->update(data);
  return lower_hex(hasher->finish());
}

}  // namespace detail

}  // namespace docklink::transfer
