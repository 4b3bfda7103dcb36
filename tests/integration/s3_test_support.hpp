// Talking to the test's s3rver directly (not through the uploader): signed and pre-signed requests made with
// DockLink's own SigV4 signer, to prove what the server accepts and refuses and to read back uploaded objects.
#pragma once

#include <string>

#include "docklink/port/hash.hpp"
#include "docklink/port/http.hpp"
#include "docklink/transfer/sigv4.hpp"
#include "http_test_io.hpp"
#include "s3rver_process.hpp"

namespace docklink::test {

/// The server's key pair, or the same access key with `secret` instead of the right one.
transfer::S3Credentials s3rver_credentials(const S3rverProcess& server, const std::string& secret = {});

/// Sends `method` on object `key` signed in the Authorization header (payload hash signed) and records the answer;
/// sink.status stays 0 when no answer came.
RecordingSink s3_send_signed(port::HttpClient& http, const port::Hashing& hashing, const S3rverProcess& server,
                             const transfer::S3Credentials& credentials, const std::string& method,
                             const std::string& key, const std::string& body = {});

/// A pre-signed URL for `method` on object `key`, valid `expires_seconds`.
std::string s3_presigned_url(const port::Hashing& hashing, const S3rverProcess& server,
                             const transfer::S3Credentials& credentials, const std::string& method,
                             const std::string& key, long expires_seconds = 600);

/// Sends `method` to `url` (e.g. a pre-signed one) with `body` and records the answer.
RecordingSink s3_send_url(port::HttpClient& http, const std::string& method, const std::string& url,
                          const std::string& body = {});

}  // namespace docklink::test
