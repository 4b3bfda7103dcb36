// drc/down checked against the dock's thing model before the DRC handler: valid commands reach it, bad ones are
// counted (Counters::drc_refused) and, where the command's drc/up reply carries a result, answered with 325001.
// Handlers of one client run in order, so "a later valid command arrived" proves an earlier one was not handed on.
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "client_fixture.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/thing/model_validator.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink;
using docklink::test::ClientRig;
using docklink::test::eventually;
using docklink::test::kDockSn;
using docklink::test::Seen;

namespace {

const std::string kDrcDown = std::string("thing/product/") + kDockSn + "/drc/down";

std::string stick(std::int64_t seq, const std::string& roll) {
  return R"({"method":"stick_control","seq":)" + std::to_string(seq) + R"(,"data":{"roll":)" + roll +
         R"(,"pitch":1024,"throttle":1024,"yaw":1024,"gimbal_pitch":1024}})";
}

}  // namespace

TEST_GROUP(ClientDrcValidation) {
  std::unique_ptr<thing::ModelInboundValidator> validator;
  std::unique_ptr<ClientRig> rig;
  std::mutex mutex;
  std::vector<std::string> handled;  // "method seq" of every command the handler saw

  void start(const char* dock_key) {
    auto dock = thing::load_embedded(dock_key);
    CHECK_TRUE(dock.is_ok());
    validator = std::make_unique<thing::ModelInboundValidator>(
        std::make_shared<const thing::ThingModel>(std::move(dock).value()), nullptr);
    ClientOptions options = docklink::test::dock_options();
    options.validator = validator.get();
    rig = std::make_unique<ClientRig>(options);
    rig->client->on_drc([this](const DrcMessage& message) {
      std::lock_guard<std::mutex> lock(mutex);
      handled.push_back(std::string(message.method) + " " + std::to_string(message.seq));
    });
    CHECK_TRUE(rig->start_and_wait_topology());
  }
  void teardown() override {
    rig.reset();
    validator.reset();
  }
  std::vector<std::string> seen() {
    std::lock_guard<std::mutex> lock(mutex);
    return handled;
  }
  // Sends a valid stick with `seq` and waits until the handler has it: everything sent before was decided.
  void fence(std::int64_t seq) {
    rig->cloud.publish(kDrcDown, stick(seq, "1024"));
    const std::string mark = "stick_control " + std::to_string(seq);
    CHECK_TRUE(eventually([&] {
      auto all = seen();
      return !all.empty() && all.back() == mark;
    }));
  }
};

TEST(ClientDrcValidation, ValidStickControlReachesTheHandler) {
  start("3-2-0");
  rig->cloud.publish(kDrcDown, stick(1, "1684"));
  CHECK_TRUE(eventually([&] { return seen().size() == 1; }));
  STRCMP_EQUAL("stick_control 1", seen().front().c_str());
  LONGS_EQUAL(0, rig->client->counters().drc_refused);
}

TEST(ClientDrcValidation, OutOfRangeOrWrongTypedSticksAreCountedAndNeverHandled) {
  start("3-2-0");
  rig->cloud.publish(kDrcDown, stick(1, "1685"));      // above 1684
  rig->cloud.publish(kDrcDown, stick(2, "363"));       // below 364
  rig->cloud.publish(kDrcDown, stick(3, "\"1024\""));  // a string
  rig->cloud.publish(kDrcDown, stick(4, "1024.5"));    // not an integer
  rig->cloud.publish(kDrcDown,
                     R"({"method":"stick_control","data":{"roll":1024,"pitch":1024,"throttle":1024,"yaw":1024}})");
  rig->cloud.publish(kDrcDown, R"({"method":"stick_control","seq":5,"data":{"roll":1024}})");  // channels missing
  fence(6);
  LONGS_EQUAL(1, seen().size());
  const Counters counters = rig->client->counters();
  LONGS_EQUAL(6, counters.drc_refused);
  LONGS_EQUAL(6, counters.malformed);
  // stick_control has no reply (docs/protocol.md#drc-messages): nothing is answered.
  LONGS_EQUAL(0, rig->cloud.count("/drc/up"));
  LONGS_EQUAL(0, counters.error_replies);
}

TEST(ClientDrcValidation, RefusedCommandWithAResultReplyIsAnsweredWithItsSeq) {
  start("3-2-0");
  rig->cloud.publish(kDrcDown, R"({"method":"drc_force_landing","seq":9,"data":{"unused":1}})");  // valid
  rig->cloud.publish(kDrcDown, R"({"method":"drone_control","seq":7,"data":{"seq":1,"x":18,"y":0,"h":0,"w":0}})");
  Seen answer = rig->cloud.wait_for("/drc/up");
  CHECK_FALSE(answer.topic.empty());
  STRCMP_EQUAL("drone_control", answer.str("method").c_str());
  LONGS_EQUAL(result_code::kInvalidParameter, answer.result());
  LONGS_EQUAL(7, (*answer.json)["seq"].GetInt64());
  fence(1);
  const std::vector<std::string> all = seen();
  LONGS_EQUAL(2, all.size());
  STRCMP_EQUAL("drc_force_landing 9", all.front().c_str());
  LONGS_EQUAL(1, rig->client->counters().drc_refused);
  LONGS_EQUAL(1, rig->client->counters().error_replies);
}

TEST(ClientDrcValidation, MalformedCommandIsAnsweredWhereItsMethodHasAResultReply) {
  start("3-2-0");
  rig->cloud.publish(kDrcDown, R"({"method":"drone_emergency_stop","seq":"3","data":{}})");  // seq not an integer
  Seen answer = rig->cloud.wait_for("/drc/up");
  CHECK_FALSE(answer.topic.empty());
  STRCMP_EQUAL("drone_emergency_stop", answer.str("method").c_str());
  LONGS_EQUAL(result_code::kInvalidParameter, answer.result());
  rig->cloud.publish(kDrcDown, "{\"method\":\"stick_control\",");  // not JSON: counted only
  fence(1);
  LONGS_EQUAL(1, seen().size());
  LONGS_EQUAL(2, rig->client->counters().drc_refused);
  LONGS_EQUAL(1, rig->cloud.count("/drc/up"));
}

TEST(ClientDrcValidation, MethodsTheProductLacksAreRefused) {
  start("3-1-0");  // Dock 1: no stick_control (docs/protocol.md#drc-messages), only drone_control
  rig->cloud.publish(kDrcDown, stick(1, "1024"));
  rig->cloud.publish(kDrcDown, R"({"method":"no_such_method","data":{}})");
  rig->cloud.publish(kDrcDown, R"({"method":"heart_beat","data":{"ts":5}})");
  CHECK_TRUE(eventually([&] { return seen().size() == 1; }));
  STRCMP_EQUAL("heart_beat 0", seen().front().c_str());
  CHECK_TRUE(eventually([&] { return rig->client->counters().drc_refused == 2; }));
  LONGS_EQUAL(0, rig->cloud.count("/drc/up"));
}

TEST(ClientDrcValidation, AFloodOfBadSticksIsLoggedAtABoundedRate) {
  start("3-2-0");
  const auto began = std::chrono::steady_clock::now();
  for (int i = 0; i < 50; ++i) rig->cloud.publish(kDrcDown, stick(i + 1, "9999"));
  fence(100);
  const auto elapsed = std::chrono::steady_clock::now() - began;
  LONGS_EQUAL(50, rig->client->counters().drc_refused);
  std::size_t lines = 0;
  for (const auto& line : rig->log.lines())
    if (line.find("refused drc/down") != std::string::npos) ++lines;
  // One line per interval (the first at once): however slow the machine, far fewer lines than refusals.
  const auto intervals = elapsed / std::chrono::milliseconds(defaults::kDrcRefusedLogIntervalMs);
  CHECK(lines >= 1);
  CHECK(lines <= 1 + static_cast<std::size_t>(intervals));
}
