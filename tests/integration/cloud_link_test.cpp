// dock-cloud's CloudLink against a real mosquitto: removing an uplink handler waits for a call of it that is
// still running, so a command's handler never runs on the command's dead stack frame.
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "cloud_link.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"
#include "platform_setup.hpp"

#include <CppUTest/TestHarness.h>

using docklink::cloud::CloudLink;
using docklink::cloud::ScopedUplinkHandler;
using docklink::cloud::Uplink;
using docklink::port::Qos;
using docklink::ports::PahoTransport;
using namespace docklink::test;
using namespace std::chrono_literals;

namespace {

constexpr const char* kStatusUplink =
    R"({"tid":"t-1","bid":"b-1","timestamp":1,"method":"update_topo","data":{"domain":"3","type":1,"sub_type":0,)"
    R"("device_secret":"","nonce":"","version":1,"sub_devices":[]}})";

}  // namespace

TEST_GROUP(CloudLinkHandler){};

TEST(CloudLinkHandler, RemovingTheHandlerWaitsForItsRunningCall) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  docklink::samples::PlatformSetup platform;
  CHECK_TRUE(platform.open("warn", false).is_ok());
  CloudLink link(platform);
  docklink::samples::MqttSettings settings;
  settings.broker = broker.uri();
  settings.client_id = "cloud-link-test";
  docklink::Status opened = link.open(settings, kPahoWait);
  CHECK_TRUE_TEXT(opened.is_ok(), opened.to_string().c_str());

  RecordingListener dock_listener;  // declared before the transport, which must not outlive it
  auto created = PahoTransport::create(transport_options(broker.uri(), "cloud-link-test-dock"));
  CHECK_TRUE(created.is_ok());
  auto dock = std::move(created).value();
  dock->set_listener(&dock_listener);
  CHECK_TRUE(dock->connect().is_ok());
  auto connected = dock_listener.connection_event(0);
  CHECK_TRUE(connected.has_value() && connected->connected);

  std::promise<void> entered;
  std::atomic<int> calls{0};
  std::atomic<bool> finished{false};
  {
    ScopedUplinkHandler handler(link, [&](const Uplink&) {
      if (calls.fetch_add(1) != 0) return;
      entered.set_value();
      // Keeps the call running well past the scope's end below: a removal that did not wait would return first.
      std::this_thread::sleep_for(300ms);
      finished = true;
    });
    CHECK_TRUE(dock->publish("sys/product/SN-LINK/status", kStatusUplink, Qos::kAtLeastOnce, 1).is_ok());
    CHECK_TRUE(entered.get_future().wait_for(kPahoWait) == std::future_status::ready);
  }
  CHECK_TRUE(finished.load());

  link.close();
  LONGS_EQUAL(1, calls.load());
  dock->disconnect(2s);
}
