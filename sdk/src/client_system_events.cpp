// Cloud system events (IoTDA `$ota`, `$file_manager` ...): those the core does not handle itself go to the
// application's handler of their service, once each; the application publishes its own with
// publish_system_event().
#include "client_core.hpp"
#include "inbound_item.hpp"

namespace docklink::detail {

void ClientCore::on_system_event(std::string service_id, SystemEventHandler handler) {
  Lock lock(*this);
  system_event_handlers_[std::move(service_id)] = std::move(handler);
}

Status ClientCore::publish_system_event(std::string_view device_sn, std::string_view service_id,
                                        std::string_view event_type, std::string_view paras_json,
                                        std::string_view event_id) {
  {
    Lock lock(*this);
    if (!owns_sn(device_sn))
      return Status(StatusCode::kInvalidArgument, concat({"not a device of this dock: ", device_sn}));
  }
  OutboundText text;
  Status encoded = profile_.encode_system_event(uplink_fields({}, {}, event_type), device_sn, service_id, event_type,
                                                event_id, paras_json, text);
  if (!encoded) return encoded;
  transmit(make_uplink(UplinkClass::kEvent, TopicKind::kEvents, std::move(text.topic), {}, std::string(event_type),
                       std::move(text.payload)));
  return Status::ok();
}

void ClientCore::handle_system_event(std::shared_ptr<InboundItem> item) {
  std::vector<SystemEvent> events;
  profile_.system_events(*item, events);
  std::vector<SystemEventHandler> handlers(events.size());
  {
    Lock lock(*this);
    if (duplicates_->admit(*item, now_ms(), nullptr) != DuplicateFilter::Seen::kNew) {
      ++counters_.duplicates;
      log_locked(port::LogLevel::kInfo, {"duplicate system event ", item->tid, ": dropped"});
      return;
    }
    duplicates_->answered(*item, {});  // nothing answers an event: a repeat is simply dropped
    for (std::size_t i = 0; i < events.size(); ++i) {
      auto found = system_event_handlers_.find(std::string(events[i].service_id));
      if (found != system_event_handlers_.end()) handlers[i] = found->second;
      if (!handlers[i]) ++counters_.unknown_methods;
    }
  }
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!handlers[i]) {
      log(port::LogLevel::kDebug,
          {"system event without a handler: ", events[i].service_id, " ", events[i].event_type});
      continue;
    }
    // The item owns what the event views: it travels with the task.
    run_user([item, event = events[i], handler = std::move(handlers[i])] { handler(event); });
  }
}

}  // namespace docklink::detail
