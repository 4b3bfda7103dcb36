#include "docklink/status.hpp"

namespace docklink {

const char* to_string(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kMalformed:
      return "malformed";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kNotConnected:
      return "not_connected";
    case StatusCode::kTimeout:
      return "timeout";
    case StatusCode::kRejected:
      return "rejected";
    case StatusCode::kBusy:
      return "busy";
    case StatusCode::kIo:
      return "io";
    case StatusCode::kAuth:
      return "auth";
    case StatusCode::kShutdown:
      return "shutdown";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::to_string() const {
  std::string text = docklink::to_string(code_);
  if (!message_.empty()) {
    text += ": ";
    text += message_;
  }
  return text;
}

}  // namespace docklink
