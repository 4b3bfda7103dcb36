// Why a file transfer stopped: one kind per failure a dock must tell apart (to pick the DJI result code it
// reports, and whether trying again can help), carried beside the Status.
#pragma once

#include <cstdint>

#include "docklink/export.hpp"

namespace docklink::transfer {

/// The kind of a transfer's outcome. Each kind names the Status code it comes with.
enum class TransferError : std::uint8_t {
  kNone = 0,        ///< Finished and verified (Status ok).
  kInvalidRequest,  ///< The request itself is unusable: no URL, bad digest text, bad resume key (kInvalidArgument).
  kNetwork,         ///< DNS, refused or cut connection, TLS errors other than verification (kIo); retried.
  kTls,             ///< The server's certificate or hostname failed verification (kAuth); never retried.
  kTimeout,         ///< Connect timeout or a body that stalled (kTimeout); retried.
  kHttpStatus,      ///< The server answered with an HTTP status that is not success (kRejected); 5xx retried.
  kCredentials,     ///< HTTP 401 or 403: token or pre-signed URL refused or expired (kAuth); never retried.
  kServerProtocol,  ///< The response contradicts the request (e.g. a Content-Range at another offset) (kMalformed).
  kSizeMismatch,    ///< The file's size is not the expected size (kMalformed); partial data deleted.
  kDigestMismatch,  ///< The file's digest is not the expected digest (kMalformed); partial data deleted.
  kDiskFull,        ///< No space left for the file (ENOSPC, kIo); partial data kept for a later resume.
  kFileIo,          ///< Another local file error: create, write, read, rename (kIo).
  kCancelled,       ///< TransferControl::cancel() (kShutdown); partial data and resume record deleted.
  kPaused,          ///< TransferControl::pause() (kShutdown); partial data and resume record kept.
  /// Temporary credentials past their deadline and none fresh to be had: the provider's answer was expired too,
  /// or the server still said ExpiredToken after one refresh (kAuth). A dock reports it and asks its cloud again.
  kCredentialsExpired,
};

/// A stable lower-case name, e.g. "digest_mismatch".
DOCKLINK_API const char* to_string(TransferError error) noexcept;

/// True for the kinds the engine retries with backoff (network, timeout; HTTP 5xx is decided by the status).
DOCKLINK_API bool is_transient(TransferError error) noexcept;

}  // namespace docklink::transfer
