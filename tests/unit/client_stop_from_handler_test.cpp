// Client::stop() from the client's own strand (a handler or a callback) cannot wait for that strand to finish, so
// it must refuse with a Status instead of waiting for itself forever.
#include <atomic>
#include <string>

#include "client_fixture.hpp"

#include "started_client_group.hpp"  // includes CppUTest's header: last

using namespace docklink;
using docklink::test::kDockSn;
using docklink::test::Seen;
using docklink::test::StartedClientGroup;

TEST_GROUP_BASE(ClientStopFromHandler, StartedClientGroup){};

TEST(ClientStopFromHandler, StopInsideServiceHandlerIsRefusedAndTheReplyStillGoesOut) {
  std::atomic<int> code{-1};
  rig->client->on_service("device_reboot", [&](ServiceCall&) {
    code = static_cast<int>(rig->client->stop().code());
    return ServiceReply::ok();
  });
  std::string tid = rig->cloud.call_service(kDockSn, "device_reboot", "{}");
  Seen reply = rig->cloud.wait_for("/services_reply", [&](const Seen& seen) { return seen.str("tid") == tid; });
  CHECK_FALSE(reply.topic.empty());
  LONGS_EQUAL(static_cast<int>(StatusCode::kBusy), code.load());
  CHECK_TRUE(rig->client->connected());  // the refused stop() stopped nothing
  CHECK_TRUE(rig->client->stop().is_ok());
  CHECK_FALSE(rig->client->connected());
}

TEST(ClientStopFromHandler, StopInsideConnectionCallbackIsRefused) {
  std::atomic<int> code{-1};
  rig->client->on_connection_changed([&](bool, const Status&) { code = static_cast<int>(rig->client->stop().code()); });
  rig->broker.drop_connection(kDockSn);  // the callback hears of it on the client's strand
  CHECK_TRUE(docklink::test::eventually([&] { return code.load() != -1; }));
  LONGS_EQUAL(static_cast<int>(StatusCode::kBusy), code.load());
  CHECK_TRUE(rig->client->stop().is_ok());
}
