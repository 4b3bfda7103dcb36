// Turning a failed Paho connect into a Status the core can act on (kAuth: fix credentials or certificates;
// kIo: retry later).
#pragma once

#include <string_view>

#include "docklink/status.hpp"

namespace docklink::ports::paho {

/// What Paho reported about a failed connect attempt.
struct ConnectFailure {
  int return_code = 0;         ///< Paho C return code, or the MQTT 3.1.1 CONNACK code (1..5).
  int reason_code = 0;         ///< MQTT 5 CONNACK reason code (0, or 0xFF as Paho C++ says, when none).
  std::string_view tls_error;  ///< OpenSSL's error text collected during the attempt (empty: none).
  std::string_view server;     ///< The broker URI, for the message.
};

/// Refused identity (CONNACK 2, 4, 5; reason 0x85, 0x86, 0x87, 0x8A, 0x8C) and TLS failures (an OpenSSL error
/// during the handshake: wrong CA, expired certificate, hostname mismatch, client certificate refused) are
/// kAuth, which the core retries on its slow schedule for refusals; everything else is kIo, including a handshake
/// whose only OpenSSL errors say the connection broke off (unexpected EOF, reset by the peer).
Status classify_connect_failure(const ConnectFailure& failure);

}  // namespace docklink::ports::paho
