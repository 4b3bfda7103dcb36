#include "docklink/transfer/transfer_error.hpp"

namespace docklink::transfer {

const char* to_string(TransferError error) noexcept {
  switch (error) {
    case TransferError::kNone:
      return "none";
    case TransferError::kInvalidRequest:
      return "invalid_request";
    case TransferError::kNetwork:
      return "network";
    case TransferError::kTls:
      return "tls";
    case TransferError::kTimeout:
      return "timeout";
    case TransferError::kHttpStatus:
      return "http_status";
    case TransferError::kCredentials:
      return "credentials";
    case TransferError::kServerProtocol:
      return "server_protocol";
    case TransferError::kSizeMismatch:
      return "size_mismatch";
    case TransferError::kDigestMismatch:
      return "digest_mismatch";
    case TransferError::kDiskFull:
      return "disk_full";
    case TransferError::kFileIo:
      return "file_io";
    case TransferError::kCancelled:
      return "cancelled";
    case TransferError::kPaused:
      return "paused";
    case TransferError::kCredentialsExpired:
      return "credentials_expired";
  }
  return "unknown";
}

bool is_transient(TransferError error) noexcept {
  return error == TransferError::kNetwork || error == TransferError::kTimeout;
}

}  // namespace docklink::transfer
