#include "docklink/ports/credentials.hpp"

#include <mbedtls/platform_util.h>

#include <cinttypes>
#include <cstdio>

#include "docklink/iotda/topics.hpp"
#include "docklink/ports/crypto.hpp"
#include "docklink/ports/utc_time.hpp"

namespace docklink::ports {

namespace {

// Overwrites a secret before its memory is released (the compiler may not optimise this away).
void wipe(std::string& secret) {
  if (!secret.empty()) mbedtls_platform_zeroize(&secret[0], secret.size());
}

// The checks both IoTDA schemes make before they name the device and the hour, with one message each.
Status check_iotda_device_id(const std::string& device_id) {
  Status valid = iotda::validate_device_id(device_id);
  if (!valid) return Status(StatusCode::kInvalidArgument, "IoTDA " + valid.message());
  return Status::ok();
}

Result<std::int64_t> iotda_wall_ms(const port::Clock& clock) {
  const std::int64_t now_ms = clock.wall_ms();
  if (now_ms < 0) return Status(StatusCode::kInvalidArgument, "wall clock is before 1970; no IoTDA timestamp");
  return now_ms;
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

std::string iotda_event_time(std::int64_t unix_ms, IotdaTimeForm form) {
  const UtcTime time = utc_time_from_unix_ms(unix_ms);
  char text[48];
  if (form == IotdaTimeForm::kCompact) {
    std::snprintf(text, sizeof text, "%04" PRId64 "%02d%02dT%02d%02d%02dZ", time.year, time.month, time.day, time.hour,
                  time.minute, time.second);
  } else {
    std::snprintf(text, sizeof text, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%03dZ", time.year, time.month, time.day,
                  time.hour, time.minute, time.second, time.millisecond);
  }
  return text;
}

IotdaSignedCredentials::IotdaSignedCredentials(std::string device_id, std::string device_secret,
                                               const port::Clock& clock, IotdaSignType sign_type)
    : device_id_(std::move(device_id)),
      device_secret_(std::move(device_secret)),
      clock_(clock),
      sign_type_(sign_type) {}

IotdaSignedCredentials::~IotdaSignedCredentials() { wipe(device_secret_); }

Result<port::Credentials> IotdaSignedCredentials::credentials() {
  Status id_status = check_iotda_device_id(device_id_);
  if (!id_status) return id_status;
  if (device_secret_.empty()) return Status(StatusCode::kInvalidArgument, "IoTDA device secret is empty");
  const Result<std::int64_t> now_ms = iotda_wall_ms(clock_);
  if (!now_ms) return now_ms.status();
  const std::string timestamp = iotda_timestamp(now_ms.value());
  port::Credentials signed_credentials;
  const char* sign_digit = sign_type_ == IotdaSignType::kPasswordOnly ? "_0_0_" : "_0_1_";
  signed_credentials.client_id = device_id_ + sign_digit + timestamp;
  signed_credentials.username = device_id_;
  // The timestamp is the HMAC key and the secret the message, as IoTDA specifies.
  signed_credentials.password = hmac_sha256_hex(timestamp, device_secret_);
  if (signed_credentials.password.empty()) return Status(StatusCode::kInternal, "HMAC-SHA256 is unavailable");
  return signed_credentials;
}

IotdaCertificateCredentials::IotdaCertificateCredentials(std::string device_id, const port::Clock& clock)
    : device_id_(std::move(device_id)), clock_(clock) {}

IotdaCertificateCredentials::~IotdaCertificateCredentials() = default;

Result<port::Credentials> IotdaCertificateCredentials::credentials() {
  Status id_status = check_iotda_device_id(device_id_);
  if (!id_status) return id_status;
  const Result<std::int64_t> now_ms = iotda_wall_ms(clock_);
  if (!now_ms) return now_ms.status();
  port::Credentials certificate_credentials;
  // Sign type 0: with a certificate there is no signature whose hour the platform would check.
  certificate_credentials.client_id = device_id_ + "_0_0_" + iotda_timestamp(now_ms.value());
  certificate_credentials.username = device_id_;
  return certificate_credentials;  // no password: the TLS client certificate authenticates the device
}

}  // namespace docklink::ports
