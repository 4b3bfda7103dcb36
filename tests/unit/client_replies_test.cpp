#include <string>

#include "client_fixture.hpp"
#include "docklink/result_codes.hpp"
#include "reply_catcher.hpp"

#include "started_client_group.hpp"  // includes CppUTest's header: last

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::kAircraftSn;
using docklink::test::kDockSn;
using docklink::test::ReplyCatcher;
using docklink::test::Seen;
using docklink::test::StartedClientGroup;

namespace {

std::string reply_body(const Seen& request, const std::string& data) {
  return R"({"tid":")" + request.str("tid") + R"(","bid":")" + request.str("bid") + R"(","timestamp":1,"method":")" +
         request.str("method") + R"(","data":)" + data + "}";
}

}  // namespace

TEST_GROUP(ClientTopology) {
  std::unique_ptr<ClientRig> rig;
  void setup() override { rig = std::make_unique<ClientRig>(); }
  void teardown() override { rig.reset(); }
};

TEST(ClientTopology, UpdateTopoListsGatewayAndSubDevicesWithoutLeakingSecretsToLogs) {
  CHECK_TRUE(rig->start_and_wait_topology());
  Seen topo = rig->cloud.wait_for("/status");
  STRCMP_EQUAL((std::string("sys/product/") + kDockSn + "/status").c_str(), topo.topic.c_str());
  STRCMP_EQUAL("update_topo", topo.str("method").c_str());
  const auto& data = (*topo.json)["data"];
  STRCMP_EQUAL("3", data["domain"].GetString());
  LONGS_EQUAL(1, data["sub_devices"].Size());
  STRCMP_EQUAL(kAircraftSn, data["sub_devices"][0]["sn"].GetString());
  STRCMP_EQUAL("A", data["sub_devices"][0]["index"].GetString());
  CHECK_FALSE(rig->log.contains("top-secret-value"));
}

TEST(ClientTopology, RetriedUntilAcknowledged) {
  rig->cloud.set_auto_status_reply(false);
  CHECK_TRUE(rig->client->start().is_ok());
  CHECK_TRUE(rig->cloud.wait_count("/status", 4));  // unlimited retries, after 60, 120, 240 ms here
  Seen last = rig->cloud.all().back();
  rig->cloud.publish(std::string("sys/product/") + kDockSn + "/status_reply", reply_body(last, R"({"result":0})"));
  // Once acknowledged the retries stop: wait until the pending table is empty, then longer than a timeout.
  CHECK_TRUE(docklink::test::eventually([&] { return rig->client->counters().replies_pending == 0; }));
  std::size_t count = rig->cloud.count("/status");
  rig->cloud.wait_for("/never", {}, std::chrono::milliseconds(200));
  CHECK(rig->cloud.count("/status") <= count + 1);  // at most one resend was already in flight
}

TEST(ClientTopology, ResendsBackOffDoublingUpToTheLimit) {
  ClientOptions options = docklink::test::dock_options();  // reply timeout 60 ms
  options.topology_resend_max_ms = 200;
  rig = std::make_unique<ClientRig>(options);
  rig->cloud.set_auto_status_reply(false);
  CHECK_TRUE(rig->client->start().is_ok());
  // Sends at 0, 60, 180 (+120), 380 (+200: the limit), 580 ms: timers fire late, never early, so the time from
  // the second send to the fifth is at least 520 ms (fixed 60 ms resends would take 180).
  CHECK_TRUE(rig->cloud.wait_count("/status", 2));
  const auto second = std::chrono::steady_clock::now();
  CHECK_TRUE(rig->cloud.wait_count("/status", 5, {}, std::chrono::seconds(10)));
  const auto elapsed = std::chrono::steady_clock::now() - second;
  CHECK(elapsed >= std::chrono::milliseconds(500));
}

TEST(ClientTopology, SubDeviceLeavingSendsEmptyTopology) {
  CHECK_TRUE(rig->start_and_wait_topology());
  CHECK_TRUE(rig->client->set_sub_devices({}).is_ok());
  Seen empty = rig->cloud.wait_for(
      "/status", [](const Seen& s) { return s.json->IsObject() && (*s.json)["data"]["sub_devices"].Size() == 0; });
  CHECK_FALSE(empty.topic.empty());
}

TEST_GROUP_BASE(ClientEvents, StartedClientGroup){};

TEST(ClientEvents, NeedReplyEventCompletesOnEventsReply) {
  rig->cloud.set_auto_events_reply(true);
  ReplyCatcher waiter;
  EventOptions options;
  options.need_reply = true;
  CHECK_TRUE(rig->client->publish_event("hms", R"({"list":[]})", options, waiter.callback()).is_ok());
  CHECK_TRUE(waiter.wait());
  CHECK_TRUE(waiter.reply->status.is_ok());
  LONGS_EQUAL(0, waiter.reply->result);
  Seen event = rig->cloud.wait_for("/events");
  STRCMP_EQUAL(kDockSn, event.str("gateway").c_str());
}

TEST(ClientEvents, UnansweredEventIsRetriedThenTimesOut) {
  ReplyCatcher waiter;
  EventOptions options;
  options.need_reply = true;
  CHECK_TRUE(rig->client->publish_event("hms", "{}", options, waiter.callback()).is_ok());
  CHECK_TRUE(waiter.wait());
  CHECK(waiter.reply->status.code() == StatusCode::kTimeout);
  LONGS_EQUAL(3, rig->cloud.count("/events"));  // 1 + max_retries (2); every copy has the same tid
  LONGS_EQUAL(2, rig->client->counters().retries);
  LONGS_EQUAL(1, rig->client->counters().reply_timeouts);
}

TEST(ClientEvents, RejectedEventReportsTheResult) {
  ReplyCatcher waiter;
  EventOptions options;
  options.need_reply = true;
  CHECK_TRUE(rig->client->publish_event("hms", "{}", options, waiter.callback()).is_ok());
  Seen event = rig->cloud.wait_for("/events");
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/events_reply", reply_body(event, R"({"result":7})"));
  CHECK_TRUE(waiter.wait());
  LONGS_EQUAL(7, waiter.reply->result);
  CHECK(waiter.reply->status.code() == StatusCode::kRejected);
}

TEST(ClientEvents, ReplyWithUnknownTidIsCounted) {
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/events_reply",
                     R"({"tid":"nobody","bid":"b","timestamp":1,"data":{"result":0}})");
  CHECK_TRUE(docklink::test::eventually([&] { return rig->client->counters().unmatched_replies == 1; }));
}

TEST(ClientEvents, ReplyOnAnotherReplyTopicDoesNotAcknowledgeTheEvent) {
  ReplyCatcher waiter;
  EventOptions options;
  options.need_reply = true;
  CHECK_TRUE(rig->client->publish_event("hms", "{}", options, waiter.callback()).is_ok());
  Seen event = rig->cloud.wait_for("/events");
  for (const char* wrong : {"/requests_reply", "/services_reply"}) {
    rig->cloud.publish(std::string("thing/product/") + kDockSn + wrong, reply_body(event, R"({"result":0})"));
  }
  rig->cloud.publish(std::string("sys/product/") + kDockSn + "/status_reply", reply_body(event, R"({"result":0})"));
  CHECK_TRUE(waiter.wait());  // only by the timeout: no other topic's reply acknowledged it
  CHECK(waiter.reply->status.code() == StatusCode::kTimeout);
}

TEST_GROUP_BASE(ClientRequests, StartedClientGroup){};

TEST(ClientRequests, ReplyMatchedByTidReturnsResultAndOutput) {
  ReplyCatcher waiter;
  CHECK_TRUE(rig->client->send_request("storage_config_get", R"({"module":0})", waiter.callback()).is_ok());
  Seen request = rig->cloud.wait_for("/requests");
  STRCMP_EQUAL(kDockSn, request.str("gateway").c_str());
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/requests_reply",
                     reply_body(request, R"({"result":0,"output":{"bucket":"b1"}})"));
  CHECK_TRUE(waiter.wait());
  LONGS_EQUAL(0, waiter.reply->result);
  STRCMP_EQUAL(R"({"bucket":"b1"})", waiter.reply->output_json.c_str());
}

TEST(ClientRequests, ReplyOutputThatJsonCannotHoldIsRefusedNotPassedOnTruncated) {
  ReplyCatcher waiter;
  CHECK_TRUE(rig->client->send_request("storage_config_get", R"({"module":0})", waiter.callback()).is_ok());
  Seen request = rig->cloud.wait_for("/requests");
  // 1e999 is too big for a double: it decodes to infinity, which JSON text cannot carry.
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/requests_reply",
                     reply_body(request, R"({"result":0,"output":{"expire":1e999,"bucket":"b1"}})"));
  CHECK_TRUE(waiter.wait());
  LONGS_EQUAL(result_code::kInvalidParameter, waiter.reply->result);
  CHECK(waiter.reply->status.code() == StatusCode::kRejected);
  STRCMP_EQUAL("", waiter.reply->output_json.c_str());
  LONGS_EQUAL(1, rig->client->counters().malformed);
}

TEST(ClientRequests, FlatConfigReplyIsAccepted) {
  ReplyCatcher waiter;
  CHECK_TRUE(
      rig->client->send_request("config", R"({"config_type":"json","config_scope":"product"})", waiter.callback())
          .is_ok());
  Seen request = rig->cloud.wait_for("/requests");
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/requests_reply",
                     reply_body(request, R"({"app_id":"1","app_key":"k","ntp_server_host":"ntp"})"));
  CHECK_TRUE(waiter.wait());
  CHECK_TRUE(waiter.reply->status.is_ok());
  CHECK(waiter.reply->output_json.find("ntp_server_host") != std::string::npos);
}

TEST(ClientRequests, TimesOutAtItsDeadline) {
  ReplyCatcher waiter;
  CHECK_TRUE(rig->client->send_request("airport_bind_status", "{}", waiter.callback(), std::chrono::milliseconds(150))
                 .is_ok());
  CHECK_TRUE(waiter.wait());
  CHECK(waiter.reply->status.code() == StatusCode::kTimeout);
}

TEST(ClientRequests, ReplyOnTheEventsReplyTopicDoesNotAnswerTheRequest) {
  ReplyCatcher waiter;
  CHECK_TRUE(
      rig->client
          ->send_request("storage_config_get", R"({"module":0})", waiter.callback(), std::chrono::milliseconds(300))
          .is_ok());
  Seen request = rig->cloud.wait_for("/requests");
  rig->cloud.publish(std::string("thing/product/") + kDockSn + "/events_reply",
                     reply_body(request, R"({"result":0,"output":{"bucket":"b1"}})"));
  CHECK_TRUE(waiter.wait());
  CHECK(waiter.reply->status.code() == StatusCode::kTimeout);
}
