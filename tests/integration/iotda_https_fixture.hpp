// The IoTDA world of the tests that fetch over HTTPS (IotdaFiles, SimIotda): test certificates, a private nginx over
// TLS that wants one Bearer token, a private mosquitto and the small IoTDA cloud connected to it before the dock.
#pragma once

#include <memory>
#include <string>

#include "iotda_broker_cloud.hpp"
#include "mosquitto_process.hpp"
#include "nginx_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory, make_test_certificates

#include <CppUTest/TestHarness.h>

namespace docklink::test {

/// The certificates, nginx, broker and cloud of a group; the group's setup() calls start_https_world().
class IotdaHttpsFixture : public Utest {
 public:
  TempDirectory directory;
  TestCertificates certificates;
  std::unique_ptr<NginxProcess> nginx;
  std::unique_ptr<MosquittoProcess> broker;
  std::unique_ptr<IotdaBrokerCloud> cloud;

  /// Starts them all, the cloud connected as gateway_id's cloud; the test exits when nginx is not installed.
  void start_https_world(const char* bearer_token, const char* gateway_id) {
    if (NginxProcess::missing()) TEST_EXIT;
    certificates = make_test_certificates(directory.path());
    CHECK_TEXT(certificates.error.empty(), certificates.error.c_str());
    NginxOptions web;
    web.certificate = certificates.server_certificate;
    web.key = certificates.server_key;
    web.bearer_token = bearer_token;
    nginx = std::make_unique<NginxProcess>(web);
    CHECK_TEXT(nginx->running(), nginx->error().c_str());
    broker = std::make_unique<MosquittoProcess>();
    CHECK_TEXT(broker->running(), broker->error().c_str());
    cloud = std::make_unique<IotdaBrokerCloud>(broker->uri(), gateway_id);
    CHECK_TRUE(cloud->connect());  // before the dock: it sees the whole login sequence
  }

  /// Stops them, the cloud first; after the group's dock is gone.
  void stop_https_world() {
    cloud.reset();
    broker.reset();
    nginx.reset();
  }
};

}  // namespace docklink::test
