// PahoTransport with username/password against mosquitto with a password file and no anonymous access: the
// credentials provider is asked before every attempt, good credentials connect, bad ones are kAuth.
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"

#include <CppUTest/TestHarness.h>

using docklink::Status;
using docklink::StatusCode;
using docklink::ports::MqttVersion;
using docklink::ports::PahoTransport;
using namespace docklink::test;

TEST_GROUP(PahoPassword) {
  TempDirectory directory;
  std::unique_ptr<MosquittoProcess> broker;
  void setup() override {
    const std::string password_file = directory.file("passwd");
    const std::string command = "mosquitto_passwd -c -b " + password_file + " dock-user 's3cret pass' >/dev/null 2>&1";
    CHECK_EQUAL(0, std::system(command.c_str()));
    broker = std::make_unique<MosquittoProcess>("allow_anonymous false\npassword_file " + password_file + "\n");
    CHECK_TRUE_TEXT(broker->running(), broker->error().c_str());
  }
  void teardown() override { broker.reset(); }

  /// Connects with the given credentials; returns the reported outcome and how often credentials were asked.
  Status connect_with(const std::string& user, const std::string& password, MqttVersion version, int attempts = 1,
                      int* asked = nullptr) {
    FixedCredentials credentials({"", user, password});
    RecordingListener listener;
    auto options = transport_options(broker->uri(), "password-dock", version);
    options.credentials = &credentials;
    auto transport = PahoTransport::create(options).value();
    transport->set_listener(&listener);
    Status last(StatusCode::kTimeout, "no attempt");
    std::size_t events = 0;
    for (int attempt = 0; attempt < attempts; ++attempt) {
      if (Status started = transport->connect(); !started) return started;
      auto event = listener.connection_event(events++);
      if (!event) return Status(StatusCode::kTimeout, "no connection event");
      last = event->status;
      if (last.is_ok()) {
        transport->disconnect(std::chrono::seconds(1));
        ++events;  // the kShutdown event
      }
    }
    if (asked != nullptr) *asked = credentials.calls();
    return last;
  }
};

TEST(PahoPassword, RightPasswordConnects) {
  Status status = connect_with("dock-user", "s3cret pass", MqttVersion::kV311);
  STRCMP_EQUAL_TEXT("ok", docklink::to_string(status.code()), status.to_string().c_str());
  status = connect_with("dock-user", "s3cret pass", MqttVersion::kV5);
  STRCMP_EQUAL_TEXT("ok", docklink::to_string(status.code()), status.to_string().c_str());
}

TEST(PahoPassword, WrongPasswordIsAuthError) {
  Status status = connect_with("dock-user", "guess", MqttVersion::kV311);
  STRCMP_EQUAL_TEXT("auth", docklink::to_string(status.code()), status.to_string().c_str());
  CHECK_TRUE(status.message().find("guess") == std::string::npos);  // never echo the secret
  status = connect_with("dock-user", "guess", MqttVersion::kV5);
  STRCMP_EQUAL_TEXT("auth", docklink::to_string(status.code()), status.to_string().c_str());
}

TEST(PahoPassword, AnonymousIsAuthError) {
  Status status = connect_with("", "", MqttVersion::kV311);
  STRCMP_EQUAL_TEXT("auth", docklink::to_string(status.code()), status.to_string().c_str());
}

TEST(PahoPassword, CredentialsAreAskedBeforeEveryAttempt) {
  int asked = 0;
  Status status = connect_with("dock-user", "s3cret pass", MqttVersion::kV311, 2, &asked);
  CHECK_TRUE(status.is_ok());
  LONGS_EQUAL(2, asked);
  status = connect_with("dock-user", "wrong", MqttVersion::kV311, 2, &asked);
  LONGS_EQUAL(static_cast<int>(StatusCode::kAuth), static_cast<int>(status.code()));
  LONGS_EQUAL(2, asked);
}
