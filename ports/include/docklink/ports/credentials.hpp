// Credentials providers: fixed MQTT credentials, and the HMAC-SHA256 signed scheme of Huawei Cloud IoTDA.
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

/// Huawei Cloud IoTDA device authentication with a secret ("HMAC-SHA256 with timestamp check"):
///   client id = `{device_id}_0_1_{YYYYMMDDHH}` (0: device id type, 1: the platform checks the timestamp),
///   username  = `{device_id}`,
///   password  = lower-case hex HMAC-SHA256 of the device secret, keyed by the same `YYYYMMDDHH`,
/// where YYYYMMDDHH is the current UTC hour. Computed afresh on every call, so each connect attempt carries a
/// current timestamp. Thread-safe (the clock must be too, which port::Clock guarantees).
class DOCKLINK_API IotdaSignedCredentials : public port::CredentialsProvider {
 public:
  /// `clock` gives the wall time (a test can fix it); not owned, must outlive this object.
  IotdaSignedCredentials(std::string device_id, std::string device_secret, const port::Clock& clock);
  ~IotdaSignedCredentials() override;

  /// Signed credentials for the clock's current hour. kInvalidArgument when the device id or secret is empty
  /// or the wall clock is before 1970.
  Result<port::Credentials> credentials() override;

 private:
  std::string device_id_;
  std::string device_secret_;
  const port::Clock& clock_;
};

/// The IoTDA timestamp of a wall time: its UTC hour as "YYYYMMDDHH".
DOCKLINK_API std::string iotda_timestamp(std::int64_t unix_ms);

}  // namespace docklink::ports
