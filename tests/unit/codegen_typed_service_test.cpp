// Typed service handlers (docklink/typed_service.hpp) on a loopback client: the handler gets the decoded
// generated struct; parameters that do not decode are answered 325001 without running it.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "client_fixture.hpp"
#include "docklink/generated/dock2.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/typed_service.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
namespace dock2 = docklink::generated::dock2;
using docklink::test::ClientRig;
using docklink::test::kDockSn;
using docklink::test::Seen;
using docklink::test::tid_is;

TEST_GROUP(CodegenTypedService) {
  std::unique_ptr<ClientRig> rig;
  std::mutex mutex;
  dock2::LiveLensChange seen_params;
  std::string seen_method;
  std::atomic<int> calls{0};

  void setup() override {
    rig = std::make_unique<ClientRig>();
    on_service<dock2::LiveLensChange>(*rig->client, [this](const dock2::LiveLensChange& params, ServiceCall& call) {
      std::lock_guard<std::mutex> lock(mutex);
      seen_params = params;
      seen_method = std::string(call.method());
      ++calls;
      return ServiceReply::ok();
    });
    on_service<dock2::CoverOpen>(*rig->client, [this](const dock2::CoverOpen&, ServiceCall&) {
      ++calls;
      return ServiceReply::error(result_code::kPropertyFailed);
    });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override { rig.reset(); }
  Seen reply_to(const std::string& tid) { return rig->cloud.wait_for("/services_reply", tid_is(tid)); }
};

TEST(CodegenTypedService, GoodParametersReachTheHandlerAsAFilledStruct) {
  std::string tid = rig->cloud.call_service(kDockSn, "live_lens_change", R"({"video_id":"a/b/c","video_type":"ir"})");
  Seen reply = reply_to(tid);
  STRCMP_EQUAL("live_lens_change", reply.str("method").c_str());
  LONGS_EQUAL(0, reply.result());
  LONGS_EQUAL(1, calls.load());
  std::lock_guard<std::mutex> lock(mutex);
  STRCMP_EQUAL("live_lens_change", seen_method.c_str());
  STRCMP_EQUAL("a/b/c", seen_params.video_id.c_str());
  CHECK_TRUE(seen_params.video_type == dock2::LiveLensChangeVideoType::kIr);
}

TEST(CodegenTypedService, ParametersThatDoNotDecodeAre325001AndTheHandlerDoesNotRun) {
  Seen unknown_enum =
      reply_to(rig->cloud.call_service(kDockSn, "live_lens_change", R"({"video_id":"a/b/c","video_type":"thermal"})"));
  LONGS_EQUAL(result_code::kInvalidParameter, unknown_enum.result());
  Seen missing = reply_to(rig->cloud.call_service(kDockSn, "live_lens_change", R"({"video_type":"ir"})"));
  LONGS_EQUAL(result_code::kInvalidParameter, missing.result());
  Seen wrong_type =
      reply_to(rig->cloud.call_service(kDockSn, "live_lens_change", R"({"video_id":5,"video_type":"ir"})"));
  LONGS_EQUAL(result_code::kInvalidParameter, wrong_type.result());
  LONGS_EQUAL(0, calls.load());
}

TEST(CodegenTypedService, ParameterlessServiceAcceptsEmptyDataAndReturnsTheHandlersReply) {
  Seen empty = reply_to(rig->cloud.call_service(kDockSn, "cover_open", "{}"));
  LONGS_EQUAL(result_code::kPropertyFailed, empty.result());
  Seen null_data = reply_to(rig->cloud.call_service(kDockSn, "cover_open", "null"));
  LONGS_EQUAL(result_code::kPropertyFailed, null_data.result());
  LONGS_EQUAL(2, calls.load());
}
