#include <utility>

#include "docklink/ports/loopback.hpp"
#include "loopback_detail.hpp"

namespace docklink::ports {

LoopbackTransport::LoopbackTransport(LoopbackBroker& broker, std::string client_id)
    : broker_(broker), session_(std::make_shared<loopback_detail::Session>(std::move(client_id))) {}

LoopbackTransport::~LoopbackTransport() {
  broker_.disconnect_session(session_, Status(StatusCode::kShutdown, "transport destroyed"));
  // Deliveries routed before the disconnect may still hold the session; they must not find a listener.
  std::lock_guard<std::recursive_mutex> lock(session_->callback_mutex);
  session_->listener = nullptr;
}

void LoopbackTransport::set_listener(port::TransportListener* listener) {
  std::lock_guard<std::recursive_mutex> lock(session_->callback_mutex);
  session_->listener = listener;
}

Status LoopbackTransport::connect() { return broker_.connect_session(session_); }

void LoopbackTransport::disconnect(std::chrono::milliseconds /*timeout*/) {
  broker_.disconnect_session(session_, Status(StatusCode::kShutdown, "disconnected"));
}

bool LoopbackTransport::is_connected() const { return broker_.session_connected(session_); }

Status LoopbackTransport::publish(std::string_view topic, std::string_view payload, port::Qos qos, port::PublishId id) {
  return broker_.publish_from(session_, topic, payload, qos, id);
}

Status LoopbackTransport::subscribe(std::string_view filter, port::Qos qos) {
  return broker_.subscribe_session(session_, filter, qos);
}

Status LoopbackTransport::unsubscribe(std::string_view filter) { return broker_.unsubscribe_session(session_, filter); }

const std::string& LoopbackTransport::client_id() const noexcept { return session_->client_id; }

}  // namespace docklink::ports
