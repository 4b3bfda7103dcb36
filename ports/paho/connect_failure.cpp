// CONNACK codes (MQTT 3.1.1 section 3.2.2.3, MQTT 5 section 3.2.2.2) mapped onto StatusCode.
#include "connect_failure.hpp"

#include <string>

namespace docklink::ports::paho {
namespace {

const char* connack_v311_text(int code) {
  switch (code) {
    case 1:
      return "unacceptable protocol version";
    case 2:
      return "client identifier rejected";
    case 3:
      return "server unavailable";
    case 4:
      return "bad user name or password";
    case 5:
      return "not authorized";
    default:
      return nullptr;
  }
}

bool is_identity_refusal_v5(int reason) {
  return reason == 0x85 || reason == 0x86 || reason == 0x87 || reason == 0x8A || reason == 0x8C;
}

}  // namespace

Status classify_connect_failure(const ConnectFailure& failure) {
  const std::string server(failure.server);
  // MQTT 5 refusals arrive as the reason code and, from Paho C, also as the return code; Paho C++ says 0xFF for
  // "no reason code" (MQTT 3.1.1).
  int reason = 0;
  if (failure.reason_code >= 0x80 && failure.reason_code < 0xFF) reason = failure.reason_code;
  if (reason == 0 && failure.return_code >= 0x80 && failure.return_code < 0xFF) reason = failure.return_code;
  if (reason != 0) {
    const std::string text =
        "broker " + server + " refused the connection (MQTT 5 reason code " + std::to_string(reason) + ")";
    return Status(is_identity_refusal_v5(reason) ? StatusCode::kAuth : StatusCode::kIo, text);
  }
  if (const char* text = connack_v311_text(failure.return_code)) {
    const bool identity = failure.return_code == 2 || failure.return_code == 4 || failure.return_code == 5;
    return Status(identity ? StatusCode::kAuth : StatusCode::kIo,
                  "broker " + server + " refused the connection: " + text);
  }
  if (!failure.tls_error.empty()) {
    return Status(StatusCode::kAuth,
                  "TLS handshake with " + server + " failed (certificate or hostname " +
                      "verification, or client certificate refused): " + std::string(failure.tls_error));
  }
  return Status(StatusCode::kIo,
                "could not connect to " + server + " (Paho code " + std::to_string(failure.return_code) + ")");
}

}  // namespace docklink::ports::paho
