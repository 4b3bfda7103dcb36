#include "docklink/client.hpp"

#include "client_core.hpp"

namespace docklink {

Result<std::unique_ptr<Client>> Client::create(ClientOptions options, port::Platform platform,
                                               port::Transport& transport, Runtime& runtime) {
  if (platform.clock == nullptr || platform.random == nullptr || platform.log == nullptr) {
    return Status(StatusCode::kInvalidArgument, "platform needs a clock, a random source and a log");
  }
  Status status = validate_sn(options.gateway.sn);
  if (!status) return Status(StatusCode::kInvalidArgument, detail::concat({"gateway SN: ", status.message()}));
  for (const auto& device : options.sub_devices) {
    status = validate_sn(device.sn);
    if (!status) return Status(StatusCode::kInvalidArgument, detail::concat({"sub-device SN: ", status.message()}));
  }
  if (options.reply_timeout_ms <= 0 || options.max_retries < 0 || options.topology_resend_max_ms <= 0) {
    return Status(StatusCode::kInvalidArgument,
                  "reply timeout and topology resend limit must be positive and retries not negative");
  }
  if (options.inbound_queue.max_messages == 0 || options.inbound_queue.max_bytes == 0) {
    return Status(StatusCode::kInvalidArgument, "the inbound queue share must allow a message");
  }
  auto core = std::make_shared<detail::ClientCore>(std::move(options), platform, transport, runtime);
  return std::unique_ptr<Client>(new Client(std::move(core)));
}

Client::Client(std::shared_ptr<detail::ClientCore> core) : core_(std::move(core)) {}
// A destructor cannot report: stop() fails only when called from this client's own handler, and logs that itself.
Client::~Client() { static_cast<void>(core_->stop()); }

Status Client::start() { return core_->start(); }
Status Client::stop() { return core_->stop(); }
void Client::on_service(std::string method, ServiceHandler handler) {
  core_->on_service(std::move(method), std::move(handler));
}
void Client::on_property_set(std::string path, PropertySetter setter) {
  core_->on_property_set(std::move(path), std::move(setter));
}
void Client::on_drc(std::function<void(const DrcMessage&)> handler) { core_->on_drc(std::move(handler)); }
void Client::on_connection_changed(std::function<void(bool, const Status&)> handler) {
  core_->on_connection_changed(std::move(handler));
}
void Client::add_connection_listener(std::function<void(bool, const Status&)> listener) {
  core_->add_connection_listener(std::move(listener));
}
void Client::on_dropped(std::function<void(const DroppedMessage&)> handler) { core_->on_dropped(std::move(handler)); }
Status Client::publish_event(std::string_view method, std::string_view data_json, EventOptions options,
                             ReplyCallback done) {
  return core_->publish_event(method, data_json, std::move(options), std::move(done));
}
Status Client::send_request(std::string_view method, std::string_view data_json, ReplyCallback done,
                            std::chrono::milliseconds timeout) {
  return core_->send_request(method, data_json, std::move(done), timeout.count());
}
Status Client::publish_osd(std::string_view device_sn, std::string_view data_json) {
  return core_->publish_telemetry(TopicKind::kOsd, device_sn, data_json);
}
Status Client::publish_state(std::string_view device_sn, std::string_view data_json) {
  return core_->publish_telemetry(TopicKind::kState, device_sn, data_json);
}
Status Client::set_osd_source(std::string device_sn, std::chrono::milliseconds period,
                              std::function<void(std::string&)> fill) {
  return core_->set_osd_source(std::move(device_sn), period.count(), std::move(fill));
}
void Client::remove_osd_source(std::string_view device_sn) { core_->remove_osd_source(device_sn); }
Status Client::publish_drc(std::string_view method, std::string_view data_json, std::int64_t seq) {
  return core_->publish_drc(method, data_json, seq);
}
Status Client::set_sub_devices(std::vector<DeviceInfo> sub_devices) {
  return core_->set_sub_devices(std::move(sub_devices));
}
void Client::on_system_event(std::string service_id, SystemEventHandler handler) {
  core_->on_system_event(std::move(service_id), std::move(handler));
}
Status Client::publish_system_event(std::string_view device_sn, std::string_view service_id,
                                    std::string_view event_type, std::string_view paras_json,
                                    std::string_view event_id) {
  return core_->publish_system_event(device_sn, service_id, event_type, paras_json, event_id);
}
bool Client::connected() const { return core_->connected(); }
Counters Client::counters() const { return core_->counters(); }
Result<std::int64_t> Client::cloud_clock_offset() const { return core_->cloud_clock_offset(); }
const std::string& Client::sn() const { return core_->sn(); }

}  // namespace docklink
