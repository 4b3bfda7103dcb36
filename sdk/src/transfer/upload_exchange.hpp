// One HTTP exchange of an upload and what its answer means: the response kept (bounded), its S3 error code read,
// and the outcome classified (success, credentials refused, retriable, final).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "docklink/port/http.hpp"
#include "docklink/transfer/transfer_error.hpp"

namespace docklink::transfer::detail {

/// How one request ended.
struct ExchangeOutcome {
  Status status;
  TransferError error = TransferError::kNone;
  int http_status = 0;                    ///< 0: no response.
  std::string s3_code;                    ///< The <Code> of an S3 error body, if any.
  std::string body;                       ///< The response body, at most defaults::kUploadMaxResponseBytes.
  std::vector<port::HttpHeader> headers;  ///< The response headers.
  bool credentials_refused = false;       ///< The server refused the credentials or signature (see below).
  bool ok() const { return status.is_ok(); }
};

/// An outcome without a response: `status` (not ok) of kind `error`.
ExchangeOutcome failed_exchange(Status status, TransferError error);

/// Keeps a response: status, headers and the first defaults::kUploadMaxResponseBytes of the body.
class ResponseCapture final : public port::HttpResponseSink {
 public:
  Status on_status(int status, const std::vector<port::HttpHeader>& headers) override;
  Status on_body(std::string_view piece) override;

  int status = 0;
  std::vector<port::HttpHeader> headers;
  std::string body;
};

/// True for the S3 error codes after which fresh credentials may help: expired or refused tokens and keys,
/// signatures that do not match (a stale key pair), AccessDenied, and RequestTimeTooSkewed.
bool is_credentials_code(std::string_view code);

/// The outcome of a request that got a response: success for 2xx without an <Error> body (S3 may send one with
/// 200 after a Complete), else kHttpStatus naming the status and S3 code, or kCredentials for a credentials
/// code (and 401 or 403 without one), kCredentialsExpired for ExpiredToken.
ExchangeOutcome classify_response(const ResponseCapture& response);

/// The outcome of a request that got no response: kTimeout, kTls, kNetwork, or the stop (kCancelled, kPaused)
/// when `stop_requested`.
ExchangeOutcome classify_transport(const Status& status, bool stop_requested, bool cancelled);

/// True when trying the same request again may succeed: network errors, timeouts, HTTP 5xx.
bool is_retriable(const ExchangeOutcome& outcome);

}  // namespace docklink::transfer::detail
