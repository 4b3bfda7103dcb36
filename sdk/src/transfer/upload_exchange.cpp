#include "upload_exchange.hpp"

#include "docklink/config_defaults.hpp"
#include "upload_s3_xml.hpp"

namespace docklink::transfer::detail {

ExchangeOutcome failed_exchange(Status status, TransferError error) {
  ExchangeOutcome outcome;
  outcome.status = std::move(status);
  outcome.error = error;
  return outcome;
}

Status ResponseCapture::on_status(int code, const std::vector<port::HttpHeader>& lines) {
  status = code;
  headers = lines;
  body.clear();
  return Status::ok();
}

Status ResponseCapture::on_body(std::string_view piece) {
  const std::size_t room = defaults::kUploadMaxResponseBytes - body.size();
  body.append(piece.substr(0, room));
  return Status::ok();
}

bool is_credentials_code(std::string_view code) {
  constexpr std::string_view kCodes[] = {"ExpiredToken",        "TokenRefreshRequired",  "InvalidToken",
                                         "InvalidAccessKeyId",  "SignatureDoesNotMatch", "AccessDenied",
                                         "RequestTimeTooSkewed"};
  for (std::string_view known : kCodes) {
    if (code == known) return true;
  }
  return false;
}

ExchangeOutcome classify_response(const ResponseCapture& response) {
  ExchangeOutcome outcome;
  outcome.http_status = response.status;
  outcome.headers = response.headers;
  outcome.body = response.body;
  S3ErrorBody error = parse_s3_error(response.body);
  outcome.s3_code = error.code;
  const bool success = response.status >= 200 && response.status <= 299;
  if (success && error.code.empty()) return outcome;
  std::string message = "HTTP status " + std::to_string(response.status);
  if (!error.code.empty()) message += " " + error.code;
  if (!error.message.empty()) message += ": " + error.message;
  const bool auth_status = response.status == 401 || response.status == 403;
  if (is_credentials_code(error.code) || (error.code.empty() && auth_status)) {
    outcome.credentials_refused = true;
    const bool expired = error.code == "ExpiredToken" || error.code == "TokenRefreshRequired";
    outcome.status = Status(StatusCode::kAuth, message);
    outcome.error = expired ? TransferError::kCredentialsExpired : TransferError::kCredentials;
    return outcome;
  }
  outcome.status = Status(StatusCode::kRejected, message);
  outcome.error = TransferError::kHttpStatus;
  return outcome;
}

ExchangeOutcome classify_transport(const Status& status, bool stop_requested, bool cancelled) {
  ExchangeOutcome outcome;
  outcome.status = status.is_ok() ? Status(StatusCode::kInternal, "request ended without a response") : status;
  if (stop_requested) {
    outcome.error = cancelled ? TransferError::kCancelled : TransferError::kPaused;
    return outcome;
  }
  switch (status.code()) {
    case StatusCode::kTimeout:
      outcome.error = TransferError::kTimeout;
      break;
    case StatusCode::kAuth:
      outcome.error = TransferError::kTls;
      break;
    case StatusCode::kInvalidArgument:
      outcome.error = TransferError::kInvalidRequest;
      break;
    default:
      outcome.error = TransferError::kNetwork;
  }
  return outcome;
}

bool is_retriable(const ExchangeOutcome& outcome) {
  if (is_transient(outcome.error)) return true;
  return outcome.error == TransferError::kHttpStatus && outcome.http_status >= 500 && outcome.http_status <= 599;
}

}  // namespace docklink::transfer::detail
