// Credentials port: asked before every connect attempt, so time-based passwords are always fresh.
#pragma once

#include <string>

#include "docklink/export.hpp"
#include "docklink/status.hpp"

namespace docklink::port {

/// What an MQTT CONNECT carries to identify and authenticate the device. `password` is a secret: never log it.
struct Credentials {
  std::string client_id;  ///< MQTT client id (DockLink's default: the gateway SN).
  std::string username;   ///< Empty: no username is sent.
  std::string password;   ///< Empty: no password is sent.
};

/// Produces credentials. Called by a transport on its own thread before each connect attempt; must not block
/// for long. Thread-safe.
class DOCKLINK_API CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  /// The credentials for the next connect attempt, asked afresh for each one (a transport does not keep them).
  /// An empty client_id lets the transport use its default client id. An error (a configuration it cannot sign
  /// with, a secret store that failed), with a message saying what, fails that connect attempt with it. Never
  /// throws. Checked by tests/conformance/credentials_conformance.hpp.
  virtual Result<Credentials> credentials() = 0;
};

}  // namespace docklink::port
