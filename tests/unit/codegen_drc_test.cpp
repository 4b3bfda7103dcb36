// The generated DRC types (<Method>Drc, <Method>DrcReply): a cloud's stick_control decodes into the typed struct
// and encodes back unchanged, and a filled sample of every DRC type of a dock is what the model's validation
// accepts, so the generated types and the drc/down check agree.
#include <string>

#include <rapidjson/document.h>

#include "docklink/generated/all.hpp"
#include "docklink/generated/samples.hpp"
#include "docklink/thing/thing_model.hpp"
#include "docklink/thing/validation.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::generated;

namespace {

docklink::thing::ThingModel dock(const char* key) {
  auto model = docklink::thing::load_embedded(key);
  CHECK_TEXT(model.is_ok(), key);
  return std::move(model).value();
}

// The model's verdict on a filled sample of T, sent as a drc/down command (down) or a drc/up push or reply.
template <class T>
std::string sample_refusal(const docklink::thing::ThingModel& model, bool down) {
  T sample{};
  fill_sample(sample);
  rapidjson::Document json;
  json.Parse(to_json_string(sample).c_str());
  const auto result = down ? docklink::thing::validate_drc_down(model, T::kMethod, true, json)
                           : docklink::thing::validate_drc_up(model, T::kMethod, json);
  return result.ok() ? std::string() : std::string(T::kMethod) + ": " + result.message;
}

}  // namespace

TEST_GROUP(CodegenDrc){};

TEST(CodegenDrc, StickControlDecodesEncodesAndRoundTrips) {
  const std::string wire = R"({"roll":364,"pitch":1684,"throttle":1024,"yaw":1000,"gimbal_pitch":1024})";
  dock2::StickControlDrc stick;
  std::string error;
  CHECK_TEXT(from_json_string(wire, stick, &error), error.c_str());
  STRCMP_EQUAL("stick_control", dock2::StickControlDrc::kMethod);
  LONGS_EQUAL(364, stick.roll);
  LONGS_EQUAL(1684, stick.pitch);
  CHECK(stick.gimbal_pitch.has_value() && *stick.gimbal_pitch == 1024);
  STRCMP_EQUAL(wire.c_str(), to_json_string(stick).c_str());
  dock2::StickControlDrc again;
  CHECK(from_json_string(to_json_string(stick), again, &error));
  CHECK(again == stick);
  // A channel missing is an error of the typed decode too.
  CHECK_FALSE(from_json_string(R"({"roll":1024})", stick, &error));
}

TEST(CodegenDrc, DroneControlAndItsReplyRoundTrip) {
  dock1::DroneControlDrc control;
  std::string error;
  CHECK_TEXT(from_json_string(R"({"seq":3,"x":2.5,"y":0,"h":-4,"w":90})", control, &error), error.c_str());
  LONGS_EQUAL(3, control.seq);
  DOUBLES_EQUAL(2.5, control.x, 0);
  dock1::DroneControlDrcReply reply;
  reply.result = 319033;
  reply.output.emplace();
  reply.output->seq = -1;
  STRCMP_EQUAL(R"({"result":319033,"output":{"seq":-1}})", to_json_string(reply).c_str());
}

TEST(CodegenDrc, FilledSamplesOfEveryDrcTypeFitTheModel) {
  const auto dock1_model = dock("3-1-0");
  const auto dock2_model = dock("3-2-0");
  const auto dock3_model = dock("3-3-0");
  STRCMP_EQUAL("", sample_refusal<dock1::HeartBeatDrc>(dock1_model, true).c_str());
  STRCMP_EQUAL("", sample_refusal<dock1::DroneControlDrc>(dock1_model, true).c_str());
  STRCMP_EQUAL("", sample_refusal<dock1::DroneEmergencyStopDrc>(dock1_model, true).c_str());
  STRCMP_EQUAL("", sample_refusal<dock1::OsdInfoPushDrc>(dock1_model, false).c_str());
  STRCMP_EQUAL("", sample_refusal<dock1::HsiInfoPushDrc>(dock1_model, false).c_str());
  STRCMP_EQUAL("", sample_refusal<dock1::DelayInfoPushDrc>(dock1_model, false).c_str());
  STRCMP_EQUAL("", sample_refusal<dock2::StickControlDrc>(dock2_model, true).c_str());
  STRCMP_EQUAL("", sample_refusal<dock2::DrcEmergencyLandingDrc>(dock2_model, true).c_str());
  STRCMP_EQUAL("", sample_refusal<dock2::DrcForceLandingDrc>(dock2_model, true).c_str());
  STRCMP_EQUAL("", sample_refusal<dock2::DrcInitialStateSubscribeDrc>(dock2_model, true).c_str());
  STRCMP_EQUAL("", sample_refusal<dock2::DrcDroneStatePushDrc>(dock2_model, false).c_str());
  STRCMP_EQUAL("", sample_refusal<dock3::StickControlDrc>(dock3_model, true).c_str());
}
