// dock-sim --cloud iotda --cert/--key: the simulated dock authenticates with IoTDA's X.509 scheme against a private
// mosquitto whose TLS listener requires a client certificate signed by the tests' CA. The dock connects as
// `{device_id}_0_0_{YYYYMMDDHH}` with the device id as username and logs in over the IoTDA profile (the small IoTDA
// cloud, on a plain second listener, sees the sub-device status and property reports); --cloud iotda with neither
// a secret nor a certificate, or with both, is refused with a message saying so.
#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "iotda_broker_cloud.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"  // TempDirectory, make_test_certificates
#include "sim_processes.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using namespace docklink::test;

namespace {

constexpr const char* kSn = "SIMX509-0001";
constexpr const char* kGatewayId = "prod_SIMX509-0001";
constexpr const char* kAircraftId = "prod_SIMX509-0001-UAV";

}  // namespace

TEST_GROUP(SimIotdaCertificate) {
  TempDirectory directory;
  TestCertificates certificates;
  std::unique_ptr<MosquittoProcess> broker;
  std::unique_ptr<IotdaBrokerCloud> cloud;
  std::unique_ptr<simtest::Simulator> sim;

  void setup() override {
    certificates = make_test_certificates(directory.path());
    CHECK_TEXT(certificates.error.empty(), certificates.error.c_str());
    // The dock's listener requires a client certificate; the test cloud uses a plain second one.
    const std::uint16_t cloud_port = free_loopback_port();
    CHECK_TRUE(cloud_port != 0);
    broker = std::make_unique<MosquittoProcess>(
        tls_listener_config(certificates, certificates.server_certificate, certificates.server_key, true) +
        "listener " + std::to_string(cloud_port) + " 127.0.0.1\n");
    CHECK_TEXT(broker->running(), broker->error().c_str());
    CHECK_TRUE(broker->wait_for_listener(cloud_port));
    cloud = std::make_unique<IotdaBrokerCloud>("tcp://127.0.0.1:" + std::to_string(cloud_port), kGatewayId);
    CHECK_TRUE(cloud->connect());  // before the dock: it sees the whole login sequence
  }
  void teardown() override {
    sim.reset();  // SIGKILL: the clean shutdown is tested by the DJI sessions
    cloud.reset();
    broker.reset();
  }

  void start_sim(const std::vector<std::string>& authentication) {
    std::vector<std::string> args = {"--broker",
                                     broker->uri("ssl", "localhost"),
                                     "--ca",
                                     certificates.ca_file,
                                     "--sn",
                                     kSn,
                                     "--cloud",
                                     "iotda",
                                     "--device-id-prefix",
                                     "prod_",
                                     "--files-dir",
                                     directory.file("files"),
                                     "--osd-period-ms",
                                     "200",
                                     "--log-level",
                                     "warn",
                                     "--no-bind"};
    args.insert(args.end(), authentication.begin(), authentication.end());
    sim = std::make_unique<simtest::Simulator>(directory.file("sim.log"), args);
    CHECK_TRUE(sim->started());
  }
  std::string sim_log() const { return simtest::file_text(directory.file("sim.log")); }
  std::string broker_log() const { return broker->log_text(); }
};

TEST(SimIotdaCertificate, ConnectsWithItsCertificateAsTheDeviceAndLogsIn) {
  start_sim({"--cert", certificates.client_certificate, "--key", certificates.client_key});
  // The login sequence over the IoTDA profile: the aircraft reported ONLINE, then property reports.
  CHECK_TRUE_TEXT(cloud->wait_until([](const std::string&, const std::string& payload) {
    return payload.find("sub_device_update_status") != std::string::npos &&
           payload.find(kAircraftId) != std::string::npos;
  }),
                  sim_log().c_str());
  CHECK_FALSE(cloud->wait_for("properties/report").empty());
  // mosquitto: "New client connected from 127.0.0.1:PORT as CLIENT_ID (p2, c1, k120, u'USERNAME')."
  const std::regex connected(std::string("as ") + kGatewayId + "_0_0_[0-9]{10} \\(p2, c1, k[0-9]+, u'" + kGatewayId +
                             "'\\)");
  CHECK_TRUE_TEXT(std::regex_search(broker_log(), connected), broker_log().c_str());
}

TEST_GROUP(SimIotdaAuthenticationOptions) {
  TempDirectory directory;

  /// dock-sim's exit code with `args` after the common ones, and its stderr in `error`.
  int run(const std::vector<std::string>& authentication, std::string& error) {
    std::vector<std::string> args = {"--broker", "ssl://127.0.0.1:8883", "--sn", kSn, "--cloud", "iotda"};
    args.insert(args.end(), authentication.begin(), authentication.end());
    simtest::ChildProcess sim("dock-sim", args, directory.file("stderr"));
    CHECK_TRUE(sim.started());
    const int code = sim.wait_exit(std::chrono::seconds(30));
    error = simtest::file_text(directory.file("stderr"));
    return code;
  }
};

TEST(SimIotdaAuthenticationOptions, NeitherSecretNorCertificateIsRefused) {
  std::string error;
  LONGS_EQUAL_TEXT(2, run({}, error), error.c_str());
  CHECK_TRUE_TEXT(error.find("--device-secret") != std::string::npos && error.find("--cert") != std::string::npos,
                  error.c_str());
}

TEST(SimIotdaAuthenticationOptions, BothSecretAndCertificateAreRefused) {
  std::string error;
  LONGS_EQUAL_TEXT(2, run({"--device-secret", "s", "--cert", "dock.crt", "--key", "dock.key"}, error), error.c_str());
  CHECK_TRUE_TEXT(error.find("not both") != std::string::npos, error.c_str());
}
