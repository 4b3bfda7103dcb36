// Credentials providers: fixed MQTT credentials, and Huawei Cloud IoTDA's two device authentications (the
// HMAC-SHA256 signed secret scheme and the X.509 client certificate scheme).
#pragma once

#include <cstdint>
#include <string>

#include "docklink/export.hpp"
#include "docklink/port/clock.hpp"
#include "docklink/port/credentials.hpp"
#include "docklink/status.hpp"

namespace docklink::ports {

/// The same client id, username and password for every connect attempt (e.g. a DJI-style broker account).
/// Thread-safe (immutable).
class DOCKLINK_API StaticCredentials : public port::CredentialsProvider {
 public:
  /// Credentials to hand out; empty username/password mean none is sent.
  StaticCredentials(std::string client_id, std::string username = {}, std::string password = {});
  ~StaticCredentials() override;

  /// A copy of the fixed credentials; kInvalidArgument when the client id is empty.
  Result<port::Credentials> credentials() override;

 private:
  port::Credentials credentials_;
};

/// How IoTDA checks a signed CONNECT: the digit in the client id after the identity type.
enum class IotdaSignType : std::uint8_t {
  /// "0": only the password is checked. The hour is still the HMAC key, but a recorded client id and password
  /// stay valid for good. For a first connect whose clock is not yet trusted (e.g. before the first time sync).
  kPasswordOnly = 0,
  /// "1": the platform first compares the hour with its own clock, then checks the password (the default).
  kTimestampChecked = 1,
};

/// Huawei Cloud IoTDA device authentication with a secret:
///   client id = `{device_id}_0_{sign_type}_{YYYYMMDDHH}` (0: the identity is a device id),
///   username  = `{device_id}`,
///   password  = lower-case hex HMAC-SHA256 of the device secret, keyed by the same `YYYYMMDDHH`,
/// where YYYYMMDDHH is the current UTC hour. Computed afresh on every call, so each connect attempt carries a
/// current timestamp. Thread-safe (the clock must be too, which port::Clock guarantees).
class DOCKLINK_API IotdaSignedCredentials : public port::CredentialsProvider {
 public:
  /// `clock` gives the wall time (a test can fix it); not owned, must outlive this object.
  IotdaSignedCredentials(std::string device_id, std::string device_secret, const port::Clock& clock,
                         IotdaSignType sign_type = IotdaSignType::kTimestampChecked);
  ~IotdaSignedCredentials() override;

  /// Signed credentials for the clock's current hour. kInvalidArgument when the device id is not a valid IoTDA
  /// device id (iotda::validate_device_id()), the secret is empty or the wall clock is before 1970.
  Result<port::Credentials> credentials() override;

 private:
  std::string device_id_;
  std::string device_secret_;
  const port::Clock& clock_;
  IotdaSignType sign_type_;
};

/// Huawei Cloud IoTDA device authentication with an X.509 client certificate:
///   client id = `{device_id}_0_0_{YYYYMMDDHH}` (the same form as the secret scheme, sign type 0),
///   username  = `{device_id}`,
///   password  = empty (none is sent),
/// where YYYYMMDDHH is the current UTC hour, computed afresh on every call. The platform authenticates the device
/// by the TLS client certificate, so this provider only works with a transport that presents one (PahoTlsOptions::
/// client_certificate_file and client_key_file on an ssl:// URI); server certificate and hostname verification
/// stay on as usual. The certificate is registered with the device on the platform; this class never reads it.
/// Thread-safe (the clock must be too, which port::Clock guarantees).
class DOCKLINK_API IotdaCertificateCredentials : public port::CredentialsProvider {
 public:
  /// `clock` gives the wall time (a test can fix it); not owned, must outlive this object.
  IotdaCertificateCredentials(std::string device_id, const port::Clock& clock);
  ~IotdaCertificateCredentials() override;

  /// Client id and username for the clock's current hour, no password. kInvalidArgument when the device id is not
  /// a valid IoTDA device id (iotda::validate_device_id()) or the wall clock is before 1970.
  Result<port::Credentials> credentials() override;

 private:
  std::string device_id_;
  const port::Clock& clock_;
};

/// The IoTDA timestamp of a wall time: its UTC hour as "YYYYMMDDHH".
DOCKLINK_API std::string iotda_timestamp(std::int64_t unix_ms);

/// The two `event_time` forms IoTDA accepts.
enum class IotdaTimeForm : std::uint8_t {
  kCompact,       ///< "20151212T121212Z" (seconds; events).
  kMilliseconds,  ///< "2020-08-12T12:12:12.333Z" (property reports).
};

/// A wall time (ms since 1970, UTC) as an IoTDA `event_time`.
DOCKLINK_API std::string iotda_event_time(std::int64_t unix_ms, IotdaTimeForm form);

}  // namespace docklink::ports
