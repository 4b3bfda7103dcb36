// Paho connect failures mapped onto StatusCode: refused credentials or authorisation are kAuth (the core retries
// them on its slow schedule), network failures kIo, and so is a TLS handshake that merely broke off.
#include "../../ports/paho/connect_failure.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::ports::paho::classify_connect_failure;
using docklink::ports::paho::ConnectFailure;

namespace {

int code_of(int return_code, int reason_code = 0, std::string_view tls_error = {}) {
  ConnectFailure failure;
  failure.return_code = return_code;
  failure.reason_code = reason_code;
  failure.tls_error = tls_error;
  failure.server = "ssl://broker:8883";
  return static_cast<int>(classify_connect_failure(failure).code());
}

constexpr int kAuth = static_cast<int>(StatusCode::kAuth);
constexpr int kIo = static_cast<int>(StatusCode::kIo);

}  // namespace

TEST_GROUP(ConnectFailure){};

TEST(ConnectFailure, Mqtt311CredentialAndAuthorisationRefusalsAreAuth) {
  LONGS_EQUAL(kAuth, code_of(4));  // bad user name or password
  LONGS_EQUAL(kAuth, code_of(5));  // not authorized
  LONGS_EQUAL(kAuth, code_of(2));  // client identifier rejected
  LONGS_EQUAL(kIo, code_of(3));    // server unavailable
  LONGS_EQUAL(kIo, code_of(1));    // protocol version
}

TEST(ConnectFailure, Mqtt5CredentialAndAuthorisationRefusalsAreAuth) {
  LONGS_EQUAL(kAuth, code_of(0x86, 0x86));  // bad user name or password
  LONGS_EQUAL(kAuth, code_of(-1, 0x87));    // not authorized
  LONGS_EQUAL(kAuth, code_of(-1, 0x8A));    // banned
  LONGS_EQUAL(kIo, code_of(-1, 0x88));      // server unavailable
  LONGS_EQUAL(kIo, code_of(-1, 0x89));      // server busy
  LONGS_EQUAL(kIo, code_of(-1, 0xFF));      // no reason code: a network failure
}

TEST(ConnectFailure, CertificateFailuresAreAuth) {
  LONGS_EQUAL(kAuth, code_of(-1, 0, "error:0A000086:SSL routines::certificate verify failed"));
  LONGS_EQUAL(kAuth, code_of(-1, 0, "TLS alert read:fatal:certificate required"));
  LONGS_EQUAL(kAuth, code_of(-1, 0,
                             "error:0A000126:SSL routines::unexpected eof while reading; "
                             "error:0A000086:SSL routines::certificate verify failed"));
}

TEST(ConnectFailure, AHandshakeThatBrokeOffIsANetworkFailure) {
  LONGS_EQUAL(kIo, code_of(-1, 0, "error:0A000126:SSL routines::unexpected eof while reading"));
  LONGS_EQUAL(kIo, code_of(-1, 0, "error:80000068:system library::Connection reset by peer"));
  LONGS_EQUAL(kIo, code_of(-1, 0,
                           "error:80000068:system library::Connection reset by peer; "
                           "error:0A000126:SSL routines::unexpected eof while reading"));
}
