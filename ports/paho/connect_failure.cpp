// CONNACK codes (MQTT 3.1.1 section 3.2.2.3, MQTT 5 section 3.2.2.2) mapped onto StatusCode.
#include "connect_failure.hpp"

#include <string>
#include <string_view>

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

// OpenSSL entries saying the connection broke off during the handshake (the peer closed or reset it), not that a
// certificate or identity was refused. A broker restarting mid-handshake is a network failure: reported as kAuth it
// would wait for the slow schedule of refused credentials.
bool is_broken_connection_entry(std::string_view entry) {
  for (std::string_view sign : {"unexpected eof", "Connection reset", "Broken pipe", "Connection refused",
                                "Connection timed out", "Network is unreachable"}) {
    if (entry.find(sign) != std::string_view::npos) return true;
  }
  return false;
}

bool only_broken_connection(std::string_view tls_error) {
  while (!tls_error.empty()) {
    const std::size_t end = tls_error.find("; ");
    if (!is_broken_connection_entry(tls_error.substr(0, end))) return false;
    tls_error = end == std::string_view::npos ? std::string_view() : tls_error.substr(end + 2);
  }
  return true;
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
  if (!failure.tls_error.empty() && only_broken_connection(failure.tls_error)) {
    return Status(StatusCode::kIo, "TLS handshake with " + server + " broke off: " + std::string(failure.tls_error));
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
