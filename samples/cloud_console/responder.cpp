#include "responder.hpp"

#include <cstdio>

#include "json_read.hpp"
#include "json_write.hpp"

namespace docklink::cloud {

namespace {

constexpr const char* kOrganizationId = "sim-organization";
constexpr const char* kOrganizationName = "DockLink Demo Organisation";

std::string config_reply() {
  // The one flat reply of the protocol: no result/output wrapper (docs/protocol.md#replies).
  return samples::JsonBuilder()
      .str("app_id", "142128")
      .str("app_key", "docklink-sim-app-key")
      .str("app_license", "docklink-sim-licence")
      .str("ntp_server_host", "pool.ntp.org")
      .num("ntp_server_port", 123)
      .finish();
}

std::string organization_get_reply() {
  return samples::JsonBuilder()
      .num("result", 0)
      .open_object("output")
      .str("organization_name", kOrganizationName)
      .close_object()
      .finish();
}

std::string flighttask_resource_reply(const rapidjson::Value& data) {
  std::string flight_id = samples::read_string(data, "flight_id");
  return samples::JsonBuilder()
      .num("result", 0)
      .open_object("output")
      .open_object("file")
      .str("url", "http://127.0.0.1/waylines/" + flight_id + ".kmz")
      .str("fingerprint", "0123456789abcdef0123456789abcdef")
      .close_object()
      .close_object()
      .finish();
}

}  // namespace

bool Responder::handle(const Uplink& uplink) {
  const InboundEnvelope& envelope = uplink.envelope;
  bool answer = false;
  std::string data = R"({"result":0})";
  if (uplink.kind == TopicKind::kStatus && options_.topology) {
    answer = true;
  } else if ((uplink.kind == TopicKind::kEvents || uplink.kind == TopicKind::kState) && envelope.need_reply() &&
             options_.events) {
    answer = true;
  } else if (uplink.kind == TopicKind::kRequests && options_.requests) {
    answer = true;
    data = answer_request(uplink);
  }
  if (!answer) return false;
  link_.reply(uplink, data);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++answered_;
  }
  if (options_.verbose) {
    std::printf("serve: %s %s from %.*s\n", to_string(uplink.kind),
                envelope.method().empty() ? "-" : std::string(envelope.method()).c_str(),
                static_cast<int>(uplink.sn.size()), uplink.sn.data());
  }
  return true;
}

std::uint64_t Responder::answered() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return answered_;
}

std::string Responder::bind_status_reply(const rapidjson::Value& data) {
  samples::JsonBuilder reply;
  reply.num("result", 0).open_object("output").open_array("bind_status");
  const rapidjson::Value* devices = samples::member(data, "devices");
  if (devices != nullptr && devices->IsArray()) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& device : devices->GetArray()) {
      std::string sn = samples::read_string(device, "sn");
      bool bound = bound_sns_.count(sn) != 0;
      reply.open_object()
          .str("sn", sn)
          .boolean("is_device_bind_organization", bound)
          .str("organization_id", bound ? kOrganizationId : "")
          .str("organization_name", bound ? kOrganizationName : "")
          .str("device_callsign", bound ? sn : "")
          .close_object();
    }
  }
  return reply.close_array().close_object().finish();
}

std::string Responder::organization_bind_reply(const rapidjson::Value& data) {
  samples::JsonBuilder reply;
  reply.num("result", 0).open_object("output").open_array("err_infos");
  const rapidjson::Value* devices = samples::member(data, "bind_devices");
  if (devices != nullptr && devices->IsArray()) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& device : devices->GetArray()) {
      std::string sn = samples::read_string(device, "sn");
      bound_sns_.insert(sn);
      reply.open_object().str("sn", sn).num("err_code", 0).close_object();
    }
  }
  return reply.close_array().close_object().finish();
}

std::string Responder::answer_request(const Uplink& uplink) {
  std::string_view method = uplink.envelope.method();
  const rapidjson::Value& data = uplink.envelope.data();
  if (method == "config") return config_reply();
  if (method == "airport_bind_status") return bind_status_reply(data);
  if (method == "airport_organization_get") return organization_get_reply();
  if (method == "airport_organization_bind") return organization_bind_reply(data);
  if (method == "storage_config_get") return storage_config_reply(options_.store, uplink.sn);
  if (method == "flighttask_resource_get") return flighttask_resource_reply(data);
  if (method == "flight_areas_get") return R"({"result":0,"output":{"files":[]}})";
  // A cloud that does not support a request still answers it (docs/protocol.md#requests), so the dock does not wait.
  return R"({"result":0})";
}

}  // namespace docklink::cloud
