// Typed requests (docklink/typed_request.hpp) on a loopback client: a generated request struct goes out on
// `requests` under its kMethod, and the requests_reply's output comes back decoded into the generated reply type.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "client_fixture.hpp"
#include "docklink/generated/dock2.hpp"
#include "docklink/typed_request.hpp"
#include "reply_catcher.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
namespace dock2 = docklink::generated::dock2;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;

namespace {

/// Keeps the TypedReply a request's callback gets.
template <class Output>
using TypedCatcher = docklink::test::BasicReplyCatcher<TypedReply<Output>>;

}  // namespace

TEST_GROUP(TypedRequest) {
  std::unique_ptr<ClientRig> rig;

  void setup() override {
    rig = std::make_unique<ClientRig>();
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }

  /// Waits for the request and answers it on requests_reply with `data`.
  Seen answer(const std::string& data) {
    Seen request = rig->cloud.wait_for("/requests");
    rig->cloud.publish(std::string("thing/product/") + kDockSn + "/requests_reply",
                       R"({"tid":")" + request.str("tid") + R"(","bid":")" + request.str("bid") +
                           R"(","timestamp":1,"method":")" + request.str("method") + R"(","data":)" + data + "}");
    return request;
  }
};

TEST(TypedRequest, SendsTheStructUnderItsMethodAndDecodesTheOutput) {
  TypedCatcher<dock2::FlighttaskResourceGetRequestReply> catcher;
  dock2::FlighttaskResourceGetRequest request;
  request.flight_id = "f-1";
  CHECK_TRUE(send_request<dock2::FlighttaskResourceGetRequestReply>(*rig->client, request, catcher.callback()).is_ok());

  Seen sent = answer(R"({"result":0,"output":{"file":{"url":"https://x/w.kmz","fingerprint":"abc"}}})");
  STRCMP_EQUAL("flighttask_resource_get", sent.str("method").c_str());
  STRCMP_EQUAL("f-1", (*sent.json)["data"]["flight_id"].GetString());
  CHECK_TRUE(catcher.wait());
  CHECK_TRUE(catcher.reply->status.is_ok());
  LONGS_EQUAL(0, catcher.reply->result);
  CHECK_TRUE(catcher.reply->output.has_value());
  STRCMP_EQUAL("https://x/w.kmz", catcher.reply->output->file->url.c_str());
  STRCMP_EQUAL("abc", catcher.reply->output->file->fingerprint.c_str());
}

TEST(TypedRequest, AFlatReplyDecodesFromTheWholeData) {
  TypedCatcher<dock2::ConfigRequestReply> catcher;
  CHECK_TRUE(send_request<dock2::ConfigRequestReply>(*rig->client, dock2::ConfigRequest{}, catcher.callback()).is_ok());

  Seen sent = answer(R"({"app_id":"1","app_key":"k","app_license":"l","ntp_server_host":"ntp"})");
  STRCMP_EQUAL("product", (*sent.json)["data"]["config_scope"].GetString());
  CHECK_TRUE(catcher.wait());
  CHECK_TRUE(catcher.reply->status.is_ok());
  STRCMP_EQUAL("l", catcher.reply->output->app_license.c_str());
  STRCMP_EQUAL("ntp", catcher.reply->output->ntp_server_host.value_or("").c_str());
}

TEST(TypedRequest, AnOutputThatDoesNotFitIsMalformedAndNamesTheField) {
  TypedCatcher<dock2::FlighttaskResourceGetRequestReply> catcher;
  CHECK_TRUE(send_request<dock2::FlighttaskResourceGetRequestReply>(*rig->client, dock2::FlighttaskResourceGetRequest{},
                                                                    catcher.callback())
                 .is_ok());

  answer(R"({"result":0,"output":{"file":{"url":7,"fingerprint":"abc"}}})");
  CHECK_TRUE(catcher.wait());
  CHECK(catcher.reply->status.code() == StatusCode::kMalformed);
  CHECK(catcher.reply->status.message().find("url") != std::string::npos);
  LONGS_EQUAL(0, catcher.reply->result);
  CHECK_FALSE(catcher.reply->output.has_value());
}

TEST(TypedRequest, ARefusalKeepsItsResultWithoutOutput) {
  TypedCatcher<dock2::AirportOrganizationGetRequestReply> catcher;
  CHECK_TRUE(send_request<dock2::AirportOrganizationGetRequestReply>(
                 *rig->client, dock2::AirportOrganizationGetRequest{}, catcher.callback())
                 .is_ok());

  answer(R"({"result":210001,"output":{}})");
  CHECK_TRUE(catcher.wait());
  CHECK(catcher.reply->status.code() == StatusCode::kRejected);
  LONGS_EQUAL(210001, catcher.reply->result);
  CHECK_FALSE(catcher.reply->output.has_value());
}

TEST(TypedRequest, NoReplyIsTheTimeout) {
  TypedCatcher<dock2::AirportOrganizationGetRequestReply> catcher;
  CHECK_TRUE(send_request<dock2::AirportOrganizationGetRequestReply>(*rig->client,
                                                                     dock2::AirportOrganizationGetRequest{},
                                                                     catcher.callback(), std::chrono::milliseconds(100))
                 .is_ok());
  CHECK_TRUE(catcher.wait());
  CHECK(catcher.reply->status.code() == StatusCode::kTimeout);
  LONGS_EQUAL(-1, catcher.reply->result);
}
