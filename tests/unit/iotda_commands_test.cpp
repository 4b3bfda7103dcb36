// IoTDA commands: decoding what the platform sends, refusing malformed ones with the field named, and the response.
#include <string>

#include "docklink/iotda/commands.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::iotda::Command;
using docklink::iotda::CommandResponse;

namespace {

void check_refused(const std::string& payload, const char* message_part) {
  Command command;
  docklink::Status status = docklink::iotda::decode_command(payload, {}, command);
  CHECK_TEXT(status.code() == StatusCode::kMalformed, payload.c_str());
  if (status.message().find(message_part) == std::string::npos) {
    FAIL(("'" + status.message() + "' lacks '" + message_part + "'").c_str());
  }
  CHECK(command.command_name.empty());
  CHECK(command.paras->IsObject() && command.paras->ObjectEmpty());
}

}  // namespace

TEST_GROUP(IotdaCommands){};

TEST(IotdaCommands, DecodesEveryField) {
  Command command;
  const char* payload = R"({"object_device_id":"prod_AIRCRAFT1","service_id":"dock_cover","command_name":"cover_open",)"
                        R"("paras":{"bid":"b-1","speed":2}})";
  docklink::Status status = docklink::iotda::decode_command(payload, {}, command);
  CHECK_TEXT(status.is_ok(), status.message().c_str());
  CHECK(command.object_device_id == "prod_AIRCRAFT1");
  CHECK(command.service_id == "dock_cover");
  CHECK(command.command_name == "cover_open");
  STRCMP_EQUAL("b-1", (*command.paras)["bid"].GetString());
  LONGS_EQUAL(2, (*command.paras)["speed"].GetInt());
}

TEST(IotdaCommands, OptionalFieldsMayBeAbsentOrNull) {
  Command command;
  CHECK(docklink::iotda::decode_command(R"({"command_name":"debug_mode_open"})", {}, command).is_ok());
  CHECK(command.object_device_id.empty());
  CHECK(command.service_id.empty());
  CHECK(command.paras->IsObject() && command.paras->ObjectEmpty());
  CHECK(docklink::iotda::decode_command(R"({"command_name":"x","paras":null,"service_id":null})", {}, command).is_ok());
  CHECK(command.paras->ObjectEmpty());
}

TEST(IotdaCommands, RefusesMalformedCommands) {
  check_refused(R"({"paras":{}})", "missing command_name");
  check_refused(R"({"command_name":""})", "command_name is empty");
  check_refused(R"({"command_name":7})", "command_name is not a string");
  check_refused(R"({"command_name":"x","paras":[1]})", "paras is not an object");
  check_refused(R"({"command_name":"x","paras":"{}"})", "paras is not an object");
  check_refused(R"({"command_name":"x","service_id":{}})", "service_id is not a string");
  check_refused(R"({"command_name":"x","object_device_id":5})", "object_device_id is not a string");
  check_refused(R"({"command_name":"x","object_device_id":"a/b"})", "object_device_id: device id holds");
  check_refused(R"({"command_name":")" + std::string(docklink::defaults::kIotdaMaxNameLength + 1, 'n') + "\"}",
                "exceeds limit");
  check_refused(R"({"command_name":"x","paras":{"a":1,"a":2}})", "names a member twice");
  check_refused("[]", "not a JSON object");
}

TEST(IotdaCommands, AFailedDecodeClearsAnEarlierCommand) {
  Command command;
  CHECK(docklink::iotda::decode_command(R"({"command_name":"first","service_id":"s"})", {}, command).is_ok());
  CHECK_FALSE(docklink::iotda::decode_command(R"({"command_name":1})", {}, command).is_ok());
  CHECK(command.command_name.empty());
  CHECK(command.service_id.empty());
}

TEST(IotdaCommands, EncodesTheResponse) {
  std::string out;
  CHECK(docklink::iotda::encode_command_response(CommandResponse{}, out).is_ok());
  STRCMP_EQUAL(R"({"result_code":0})", out.c_str());
  CommandResponse failed{314000, "cover_open", R"( {"bid":"b-1","status":"in_progress"} )"};
  CHECK(docklink::iotda::encode_command_response(failed, out).is_ok());
  STRCMP_EQUAL(R"({"result_code":314000,"response_name":"cover_open","paras":{"bid":"b-1","status":"in_progress"}})",
               out.c_str());
  CommandResponse quoted{-1, "a\"b", ""};
  CHECK(docklink::iotda::encode_command_response(quoted, out).is_ok());
  STRCMP_EQUAL(R"({"result_code":-1,"response_name":"a\"b"})", out.c_str());
}

TEST(IotdaCommands, ResponseRefusesBadParasAndOversizedPayloads) {
  std::string out = "stale";
  CHECK(docklink::iotda::encode_command_response(CommandResponse{0, "", "[1]"}, out).code() ==
        StatusCode::kInvalidArgument);
  CHECK(out.empty());
  CHECK(docklink::iotda::encode_command_response(CommandResponse{0, "", "{"}, out).code() ==
        StatusCode::kInvalidArgument);
  const std::string big = "{\"blob\":\"" + std::string(100, 'x') + "\"}";
  CHECK(docklink::iotda::encode_command_response(CommandResponse{0, "", big}, out, 100).code() ==
        StatusCode::kInvalidArgument);
  CHECK(out.empty());
  CHECK(docklink::iotda::encode_command_response(CommandResponse{0, "", big}, out, 200).is_ok());
}
