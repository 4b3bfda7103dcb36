#include "docklink/ports/credentials.hpp"

#include <mbedtls/platform_util.h>

#include <cinttypes>
#include <cstdio>

#include "docklink/ports/crypto.hpp"
#include "docklink/ports/utc_time.hpp"

namespace docklink::ports {

namespace {

// Overwrites a secret before its memory is released (the compiler may not optimise this away).
void wipe(std::string& secret) {
  if (!secret.empty()) mbedtls_platform_zeroize(&secret[0], secret.size());
}

}  // namespace

StaticCredentials::StaticCredentials(std::string client_id, std::string username, std::string password)
    : credentials_{std::move(client_id), std::move(username), std::move(password)} {}

StaticCredentials::~StaticCredentials() { wipe(credentials_.password); }

Result<port::Credentials> StaticCredentials::credentials() {
  if (credentials_.client_id.empty()) return Status(StatusCode::kInvalidArgument, "MQTT client id is empty");
  return credentials_;
}

std::string iotda_timestamp(std::int64_t unix_ms) {
  const UtcTime time = utc_time_from_unix_ms(unix_ms);
  char text[32];
  std::snprintf(text, sizeof text, "%04" PRId64 "%02d%02d%02d", time.year, time.month, time.day, time.hour);
  return text;
}

IotdaSignedCredentials::IotdaSignedCredentials(std::string device_id, std::string device_secret,
                                               const port::Clock& clock)
    : device_id_(std::move(device_id)), device_secret_(std::move(device_secret)), clock_(clock) {}

IotdaSignedCredentials::~IotdaSignedCredentials() { wipe(device_secret_); }

Result<port::Credentials> IotdaSignedCredentials::credentials() {
  if (device_id_.empty()) return Status(StatusCode::kInvalidArgument, "IoTDA device id is empty");
  if (device_secret_.empty()) return Status(StatusCode::kInvalidArgument, "IoTDA device secret is empty");
  const std::int64_t now_ms = clock_.wall_ms();
  if (now_ms < 0) return Status(StatusCode::kInvalidArgument, "wall clock is before 1970; cannot sign");
  const std::string timestamp = iotda_timestamp(now_ms);
  port::Credentials signed_credentials;
  signed_credentials.client_id = device_id_ + "_0_1_" + timestamp;
  signed_credentials.username = device_id_;
  // The timestamp is the HMAC key and the secret the message, as IoTDA specifies.
  signed_credentials.password = hmac_sha256_hex(timestamp, device_secret_);
  if (signed_credentials.password.empty()) return Status(StatusCode::kInternal, "HMAC-SHA256 is unavailable");
  return signed_credentials;
}

}  // namespace docklink::ports
