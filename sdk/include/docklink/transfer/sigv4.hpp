// AWS Signature Version 4 for S3-compatible object storage (AWS S3, MinIO, Aliyun OSS's S3 API): URI encoding,
// canonical requests, header-signed requests, pre-signed URLs, and virtual-hosted or path-style addresses.
// Portable: digests and HMACs come from port::Hashing, so an RTOS port brings its own crypto.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/port/hash.hpp"
#include "docklink/port/http.hpp"
#include "docklink/status.hpp"

namespace docklink::transfer {

/// The x-amz-content-sha256 value for a body that is not hashed (pre-signed URLs, large streamed PUTs).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
/// Lower-case hex SHA-256 of an empty body (GET, HEAD, DELETE, CreateMultipartUpload).
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Object-storage credentials, long-term or temporary (STS). Secrets: nothing in DockLink prints or logs the
/// secret or the token, and this type deliberately has no text form; log the access key id and the age instead.
struct S3Credentials {
  std::string access_key_id;      ///< e.g. "AKIAIOSFODNN7EXAMPLE"; must not contain '/'.
  std::string secret_access_key;  ///< The secret; never logged.
  std::string session_token;      ///< STS security token; empty for long-term keys. Never logged.
};

/// Where a signature is valid: the scope's region and service.
struct SigV4Scope {
  std::string region = "us-east-1";  ///< The bucket's region (MinIO accepts its configured one, by default us-east-1).
  std::string service = "s3";        ///< Always "s3" for object storage.
};

/// One query parameter, decoded (the signer encodes it). A parameter without value ("?uploads") has value "".
struct QueryParameter {
  std::string name;   ///< e.g. "partNumber"
  std::string value;  ///< e.g. "1"
};

/// What a signature covers. Build one per HTTP request, immediately before sending it: S3 refuses requests
/// signed more than 15 minutes before they arrive.
struct SigV4Request {
  std::string method = "GET";  ///< Upper-case HTTP method.
  /// The path as stored, not encoded ("/bucket/photo 1.jpg"); the signer encodes each byte once, never
  /// normalising "//", "." or "..". Empty means "/".
  std::string path = "/";
  std::vector<QueryParameter> query;      ///< Decoded; any order (the signer sorts them).
  std::vector<port::HttpHeader> headers;  ///< Headers to sign, "Host" among them; sent unchanged.
  /// Lower-case hex SHA-256 of the body, kEmptyPayloadSha256 or kUnsignedPayload. Pre-signed URLs ignore it
  /// and always sign kUnsignedPayload.
  std::string payload_sha256 = std::string(kUnsignedPayload);
};

/// Encodes a path for the canonical request and the URL: every byte except A-Z a-z 0-9 - _ . ~ and '/' becomes
/// %XX (upper-case hex), a space %20. UTF-8 keys are encoded byte by byte.
DOCKLINK_API std::string sigv4_encode_path(std::string_view path);

/// Encodes a query name or value: like sigv4_encode_path, but '/' too becomes %2F.
DOCKLINK_API std::string sigv4_encode_query(std::string_view component);

/// The canonical query string: names and values encoded, sorted by name then value (byte order), joined with
/// '&', each as name=value (also "uploads="). Use it as the URL's query too, so what is sent is what is signed.
DOCKLINK_API std::string sigv4_canonical_query(const std::vector<QueryParameter>& query);

/// x-amz-date for a time in Unix epoch milliseconds (UTC): "YYYYMMDDTHHMMSSZ", e.g. "20130524T000000Z".
/// Valid for years 1970 to 9999; the signing functions refuse times outside them.
DOCKLINK_API std::string sigv4_amz_date(std::int64_t unix_ms);

/// The canonical request (six parts joined by '\n'): header names lower-cased, values trimmed with inner runs of
/// blanks collapsed, repeated headers joined with ','. kInvalidArgument when there is no Host header, a header
/// name is empty or not an HTTP token, or a value holds CR, LF or NUL (they would forge a header).
DOCKLINK_API Result<std::string> sigv4_canonical_request(const SigV4Request& request);

/// The signing key for a day ("YYYYMMDD"): HMAC chain from "AWS4" + secret over day, region, service and
/// "aws4_request", 32 raw bytes. A secret; never logged.
DOCKLINK_API std::string sigv4_signing_key(const port::Hashing& hashing, std::string_view secret_access_key,
                                           std::string_view day, const SigV4Scope& scope);

/// The string to sign: algorithm, x-amz-date, "day/region/service/aws4_request", hex SHA-256 of the canonical
/// request, joined by '\n'.
DOCKLINK_API std::string sigv4_string_to_sign(const port::Hashing& hashing, std::string_view amz_date,
                                              const SigV4Scope& scope, std::string_view canonical_request);

/// Signs a request with the Authorization header. Returns the headers to send besides request.headers, in this
/// order: x-amz-date, x-amz-content-sha256 (request.payload_sha256), x-amz-security-token (only with a session
/// token; signed, as AWS's own SDKs do) and Authorization. kInvalidArgument for the reasons of
/// sigv4_canonical_request, empty keys, an access key id with '/', a scope with an empty or '/'-holding part,
/// a time outside years 1970-9999, an empty payload hash, or request.headers already holding one of the four.
DOCKLINK_API Result<std::vector<port::HttpHeader>> sigv4_sign_headers(const port::Hashing& hashing,
                                                                      const S3Credentials& credentials,
                                                                      const SigV4Scope& scope, std::int64_t unix_ms,
                                                                      const SigV4Request& request);

/// A pre-signed URL's query string (without '?'): request.query plus X-Amz-Algorithm, X-Amz-Credential,
/// X-Amz-Date, X-Amz-Expires, X-Amz-Security-Token (with a session token), X-Amz-SignedHeaders and, last,
/// X-Amz-Signature. Sign only "Host" (request.headers) unless the user of the URL sends the other headers with
/// exactly these values; a Range header may be sent without being signed. The URL stops working after
/// `expires_seconds` (1 to defaults::kS3PresignMaxExpirySeconds) or when temporary credentials expire, whichever
/// comes first. kInvalidArgument as for sigv4_sign_headers, for an expiry out of range, or for request.query
/// already holding an X-Amz- authentication parameter.
DOCKLINK_API Result<std::string> sigv4_presign_query(const port::Hashing& hashing, const S3Credentials& credentials,
                                                     const SigV4Scope& scope, std::int64_t unix_ms,
                                                     const SigV4Request& request, std::int64_t expires_seconds);

/// How a bucket appears in a URL: virtual-hosted ("https://bucket.host/key") or path-style
/// ("https://host/bucket/key").
enum class S3Addressing : std::uint8_t { kVirtualHosted, kPathStyle };

/// The addressing a DJI storage provider expects: "ali" (Aliyun OSS refuses path-style) and "aws" virtual-hosted;
/// "minio" and anything else path-style (MinIO answers virtual-hosted requests only when configured for them).
DOCKLINK_API S3Addressing s3_addressing_for_provider(std::string_view provider);

/// Where an object lives.
struct S3ObjectAddress {
  std::string url;   ///< "scheme://host[:port]" + encoded path; append '?' + sigv4_canonical_query for a query.
  std::string host;  ///< The Host header and signed host: with the port only when it is not the scheme's default.
  std::string path;  ///< The decoded path for SigV4Request::path: "/key" or "/bucket/key".
};

/// The address of `key` in `bucket` at `endpoint` ("https://s3.us-east-1.amazonaws.com",
/// "http://192.168.1.1:9000"; http or https, no path, no user info). A port equal to the scheme's default is
/// dropped from both URL and Host. An empty key addresses the bucket itself. kInvalidArgument for another
/// scheme, a path, an empty bucket or one holding '/', and for virtual-hosted https with a bucket name holding
/// '.' (the provider's wildcard certificate covers one label only: use path-style).
DOCKLINK_API Result<S3ObjectAddress> s3_object_address(std::string_view endpoint, std::string_view bucket,
                                                       std::string_view key, S3Addressing addressing);

}  // namespace docklink::transfer
