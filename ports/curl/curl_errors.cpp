// TLS verification failures are kAuth (a retry cannot help, the same as a refused password); everything else on
// the network is kIo, which the transfer engine may retry.
#include "curl_errors.hpp"

#include <string>

namespace docklink::ports::curl {
namespace {

StatusCode code_for(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return StatusCode::kTimeout;
    case CURLE_PEER_FAILED_VERIFICATION:  // chain or hostname (libcurl >= 7.62 reports both so)
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ISSUER_ERROR:
      return StatusCode::kAuth;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return StatusCode::kInvalidArgument;
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_UNKNOWN_OPTION:
      return StatusCode::kInternal;
    default:
      return StatusCode::kIo;
  }
}

}  // namespace

Status status_from_curl(CURLcode code, std::string_view detail) {
  if (code == CURLE_OK) return Status::ok();
  std::string message = curl_easy_strerror(code);
  if (code == CURLE_TOO_MANY_REDIRECTS) message = "more redirects than the 5 allowed";
  if (!detail.empty()) message.append(": ").append(detail);
  return Status(code_for(code), std::move(message));
}

}  // namespace docklink::ports::curl
