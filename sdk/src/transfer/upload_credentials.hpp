// The credentials of one upload run: asked from the application's provider at the start, again shortly before
// their deadline, and once after the server refused them. Never a second refresh without a request accepted in
// between, so a wrong secret ends the upload instead of looping. Secrets stay in here and in the signer.
#pragma once

#include <cstdint>

#include "docklink/port/clock.hpp"
#include "docklink/transfer/upload.hpp"

namespace docklink::transfer::detail {

/// Credentials, or why there are none (TransferError::kCredentials or kCredentialsExpired).
struct CredentialsOutcome {
  Status status;
  TransferError error = TransferError::kNone;
  const S3Credentials* credentials = nullptr;  ///< Valid until the next call; null on failure.
  bool exhausted = false;                      ///< Refused again after a refresh: no further refresh is tried.
};

/// Not thread-safe: the upload's own thread uses it.
class CredentialsKeeper {
 public:
  CredentialsKeeper(const CredentialsProvider& provider, const port::Clock& clock, std::int64_t margin_ms)
      : provider_(provider), clock_(clock), margin_ms_(margin_ms) {}

  /// Credentials to sign a request with now: the first ones, or fresh ones once the deadline is within the
  /// margin (asked once per deadline) or past (then they must be renewed).
  CredentialsOutcome current();
  /// The server refused the current ones: fresh ones, unless the current ones already came from a refusal and
  /// no request was accepted since (then an error: a refresh did not help, another will not either).
  CredentialsOutcome refresh_after_refusal();
  /// A request signed with the current credentials was accepted.
  void accepted() { refused_since_accepted_ = false; }
  /// Provider calls so far.
  unsigned requests() const { return requests_; }

 private:
  CredentialsOutcome ask(CredentialsReason reason);

  const CredentialsProvider& provider_;
  const port::Clock& clock_;
  std::int64_t margin_ms_;
  ExpiringCredentials current_;
  bool have_ = false;
  bool asked_near_deadline_ = false;
  bool refused_since_accepted_ = false;
  unsigned requests_ = 0;
};

}  // namespace docklink::transfer::detail
