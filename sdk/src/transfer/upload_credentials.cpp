#include "upload_credentials.hpp"

namespace docklink::transfer::detail {

CredentialsOutcome CredentialsKeeper::current() {
  if (!have_) return ask(CredentialsReason::kInitial);
  const std::int64_t expire = current_.expire_unix_ms;
  if (expire == 0) return {Status::ok(), TransferError::kNone, &current_.credentials};
  const std::int64_t now = clock_.wall_ms();
  if (now >= expire || (now + margin_ms_ >= expire && !asked_near_deadline_)) return ask(CredentialsReason::kExpiring);
  return {Status::ok(), TransferError::kNone, &current_.credentials};
}

CredentialsOutcome CredentialsKeeper::refresh_after_refusal() {
  if (refused_since_accepted_) {
    return {Status(StatusCode::kAuth, "refused again with fresh credentials"), TransferError::kCredentials, nullptr,
            true};
  }
  refused_since_accepted_ = true;
  return ask(CredentialsReason::kRefused);
}

CredentialsOutcome CredentialsKeeper::ask(CredentialsReason reason) {
  ++requests_;
  if (!provider_) {
    return {Status(StatusCode::kInvalidArgument, "no credentials provider"), TransferError::kInvalidRequest, nullptr};
  }
  Result<ExpiringCredentials> answer = provider_(reason);
  if (!answer) {
    return {Status(answer.status().code(), "credentials provider failed: " + answer.status().message()),
            TransferError::kCredentials, nullptr};
  }
  ExpiringCredentials fresh = std::move(answer).value();
  if (fresh.credentials.access_key_id.empty() || fresh.credentials.secret_access_key.empty()) {
    return {Status(StatusCode::kAuth, "credentials provider gave an empty key"), TransferError::kCredentials, nullptr};
  }
  const std::int64_t now = clock_.wall_ms();
  if (fresh.expire_unix_ms != 0 && fresh.expire_unix_ms <= now) {
    return {Status(StatusCode::kAuth, "credentials provider gave credentials that expired " +
                                          std::to_string((now - fresh.expire_unix_ms) / 1000) + " s ago"),
            TransferError::kCredentialsExpired, nullptr};
  }
  // Fresh ones already inside the margin are the best the provider has: use them until their deadline.
  asked_near_deadline_ = fresh.expire_unix_ms != 0 && now + margin_ms_ >= fresh.expire_unix_ms;
  current_ = std::move(fresh);
  have_ = true;
  return {Status::ok(), TransferError::kNone, &current_.credentials};
}

}  // namespace docklink::transfer::detail
