// A server certificate that has expired is refused with kAuth, like a wrong CA or a wrong name.
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"

#include <CppUTest/TestHarness.h>

using docklink::Status;
using docklink::StatusCode;
using docklink::ports::PahoTransport;
using namespace docklink::test;

namespace {

bool sh(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()) == 0; }

/// Signs `name`.csr with the test CA for a validity window that ended in 2020 (openssl 3.0's x509 command
/// cannot back-date, its ca command can).
bool make_expired_server_certificate(const std::string& dir) {
  std::ofstream(dir + "/ca.cnf") << "[ca]\ndefault_ca=test\n[test]\ndatabase=" << dir
                                 << "/index.txt\nnew_certs_dir=" << dir << "\nserial=" << dir
                                 << "/serial\ndefault_md=sha256\npolicy=any\n"
                                 << "copy_extensions=copy\n[any]\ncommonName=supplied\n";
  std::ofstream(dir + "/index.txt");
  std::ofstream(dir + "/serial") << "1000\n";
  return sh("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost -keyout " + dir +
            "/expired.key -out " + dir + "/expired.csr -addext subjectAltName=IP:127.0.0.1,DNS:localhost") &&
         sh("openssl ca -batch -config " + dir + "/ca.cnf -cert " + dir + "/ca.crt -keyfile " + dir +
            "/ca.key -startdate 20200101000000Z -enddate 20200102000000Z -in " + dir + "/expired.csr -out " + dir +
            "/expired.crt -notext");
}

Status connect_outcome(const docklink::ports::PahoTransportOptions& options, RecordingListener& listener,
                       std::unique_ptr<PahoTransport>& transport) {
  auto created = PahoTransport::create(options);
  if (!created) return created.status();
  transport = std::move(created).value();
  transport->set_listener(&listener);
  if (Status started = transport->connect(); !started) return started;
  auto event = listener.connection_event(0);
  return event ? event->status : Status(StatusCode::kTimeout, "no connection event");
}

}  // namespace

TEST_GROUP(PahoExpiredCertificate){};

TEST(PahoExpiredCertificate, ExpiredServerCertificateIsAuthError) {
  TempDirectory directory;
  TestCertificates certificates = make_test_certificates(directory.path());
  CHECK_TRUE_TEXT(certificates.error.empty(), certificates.error.c_str());
  CHECK_TRUE(make_expired_server_certificate(directory.path()));
  MosquittoProcess broker(
      tls_listener_config(certificates, directory.file("expired.crt"), directory.file("expired.key")));
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  auto options = transport_options(broker.uri("ssl", "127.0.0.1"), "expired-dock");
  options.tls.ca_file = certificates.ca_file;
  RecordingListener listener;
  std::unique_ptr<PahoTransport> transport;
  Status status = connect_outcome(options, listener, transport);
  STRCMP_EQUAL_TEXT("auth", docklink::to_string(status.code()), status.to_string().c_str());
}
