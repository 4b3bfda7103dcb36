// Typed events: publishes a generated event struct (docklink/generated/...) under its method, e.g.
// publish_event(client, generated::shared::HmsEvent{...}), instead of JSON built by hand with string keys.
#pragma once

#include <string>
#include <utility>

#include "docklink/client.hpp"
#include "docklink/generated/json_support.hpp"

namespace docklink {

/// The JSON text of a generated struct (`to_json` found by argument-dependent lookup): the `data` of an event.
template <class Data>
std::string event_data_json(const Data& data) {
  rapidjson::StringBuffer buffer;
  generated::JsonWriter writer(buffer);
  to_json(data, writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

/// Publishes `event` on `events` under `Event::kMethod` with its fields as `data` (unset optional fields left
/// out), as Client::publish_event does: with options.need_reply `done` gets the events_reply or the timeout after
/// the retries; without, it gets ok once the message is handed to the transport or queued.
template <class Event>
Status publish_event(Client& client, const Event& event, EventOptions options = {}, ReplyCallback done = {}) {
  return client.publish_event(Event::kMethod, event_data_json(event), std::move(options), std::move(done));
}

}  // namespace docklink
