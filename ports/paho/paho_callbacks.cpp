// What Paho's callback thread does: update the transport's state and forward to the listener, nothing more.
// Every entry point catches everything, because an exception must not unwind into Paho's C code.
#include <exception>
#include <utility>

#include "connect_failure.hpp"
#include "connect_trace.hpp"
#include "openssl_errors.hpp"
#include "paho_transport_impl.hpp"
#include "tcp_nodelay.hpp"

namespace docklink::ports {
namespace {

std::uintptr_t context_of(const mqtt::token& token) {
  return reinterpret_cast<std::uintptr_t>(token.get_user_context());
}

}  // namespace

void PahoActionForwarder::on_success(const mqtt::token& token) {
  try {
    switch (kind_) {
      case Kind::kConnect:
        impl_.on_connect_success(context_of(token), token.get_connect_response().is_session_present());
        break;
      case Kind::kPublish:
        impl_.on_publish_result(context_of(token), MQTTASYNC_SUCCESS, 0);
        break;
      case Kind::kSubscribe:
        impl_.on_subscription_result(token, true, true);
        break;
      case Kind::kUnsubscribe:
        impl_.on_subscription_result(token, true, false);
        break;
    }
  } catch (...) {
  }
}

void PahoActionForwarder::on_failure(const mqtt::token& token) {
  try {
    const int return_code = token.get_return_code();
    const int reason_code = static_cast<int>(token.get_reason_code());
    switch (kind_) {
      case Kind::kConnect:
        impl_.on_connect_failure(context_of(token), return_code, reason_code);
        break;
      case Kind::kPublish:
        impl_.on_publish_result(context_of(token), return_code, reason_code);
        break;
      case Kind::kSubscribe:
        impl_.on_subscription_result(token, false, true);
        break;
      case Kind::kUnsubscribe:
        impl_.on_subscription_result(token, false, false);
        break;
    }
  } catch (...) {
  }
}

void PahoTransport::Impl::on_connect_success(std::uintptr_t epoch, bool session_present) {
  paho::take_openssl_errors();  // leave nothing stale for a later failure on this (shared) thread
  paho::take_tls_note();
  mqtt::async_client* stale_client = nullptr;
  port::TransportListener* listener = nullptr;
  bool nodelay_done = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++busy_;
    if (epoch != epoch_ || state_ != State::kConnecting) {
      stale_client = client_.get();  // disconnect() ran meanwhile: close what Paho opened anyway
    } else {
      state_ = State::kConnected;
      listener = listener_;
    }
    nodelay_done = !watched_client_id_.empty() && paho::tcp_nodelay_was_set(watched_client_id_);
    end_connect_watch_locked();
  }
  if (stale_client != nullptr) {
    try {
      stale_client->disconnect(0);
    } catch (...) {
    }
    release_busy();
    return;
  }
  // Before anything is sent: without NODELAY every small packet waits for the peer's delayed ACK (P3).
  // The trace normally named our socket already; scanning every descriptor is the fallback (O(descriptors)).
  if (options_.tcp_nodelay && nodelay_done) {
    log(port::LogLevel::kDebug, "TCP_NODELAY set on the socket Paho's trace named");
  } else if (options_.tcp_nodelay && paho::set_tcp_nodelay_to_peer_port(uri_.port) == 0) {
    log(port::LogLevel::kWarn, "could not find the broker socket to set TCP_NODELAY; expect ~40 ms latency");
  } else if (options_.tcp_nodelay) {
    log(port::LogLevel::kDebug, "TCP_NODELAY set by scanning the process's descriptors");
  }
  log(port::LogLevel::kInfo, {"connected to ", uri_.paho_uri});
  report_connection(listener, true, Status::ok(), session_present);
  release_busy();
}

void PahoTransport::Impl::on_connect_failure(std::uintptr_t epoch, int return_code, int reason_code) {
  // Both are always drained, so nothing stale is left for the next attempt on this thread.
  const std::string openssl_error = paho::take_openssl_errors();
  const std::string tls_note = paho::take_tls_note();
  const std::string tls_error = !openssl_error.empty() ? openssl_error : tls_note;
  port::TransportListener* listener = nullptr;
  Status status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (epoch != epoch_ || state_ != State::kConnecting) return;
    state_ = State::kIdle;
    end_connect_watch_locked();
    paho::ConnectFailure failure;
    failure.return_code = return_code;
    failure.reason_code = reason_code;
    failure.tls_error = uri_.tls ? std::string_view(tls_error) : std::string_view();
    failure.server = uri_.paho_uri;
    status = paho::classify_connect_failure(failure);
    listener = listener_;
    ++busy_;
  }
  log(port::LogLevel::kWarn, {"connect failed: ", status.to_string()});
  report_connection(listener, false, status, false);
  release_busy();
}

void PahoTransport::Impl::on_connection_lost(const std::string& cause) {
  port::TransportListener* listener = nullptr;
  std::vector<port::PublishId> abandoned;
  std::size_t slots = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected) return;  // a disconnect() in progress reports itself
    state_ = State::kIdle;
    ++epoch_;
    slots = drop_slots_locked(window_.inflight());
    abandoned = window_.drain();
    listener = listener_;
    ++busy_;
  }
  budget_.release(slots);
  const std::string why = "connection to " + uri_.paho_uri + " lost" + (cause.empty() ? "" : ": " + cause);
  log(port::LogLevel::kWarn, why);
  report_connection(listener, false, Status(StatusCode::kIo, why), false);
  report_publishes(listener, as_outcomes(abandoned, Status(StatusCode::kNotConnected,
                                                           "connection lost before "
                                                           "the broker acknowledged")));
  release_busy();
}

void PahoTransport::Impl::on_message(const mqtt::message& message) {
  port::TransportListener* listener = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected || listener_ == nullptr) return;
    listener = listener_;
    ++busy_;
  }
  const mqtt::binary& payload = message.get_payload();
  listener->on_message(message.get_topic(), std::string_view(payload.data(), payload.size()));
  release_busy();
}

namespace {

// The filters of a SUBACK that the broker refused: with several filters in one SUBSCRIBE, Paho reports success and
// leaves a refusal (3.1.1: granted QoS 0x80; 5: reason code >= 0x80) in the per-filter codes.
std::vector<std::string> refused_filters(const mqtt::token& token) {
  std::vector<std::string> refused;
  auto topics = token.get_topics();
  if (!topics || topics->size() < 2) return refused;  // a single filter's refusal comes as a failure
  const mqtt::subscribe_response response = token.get_subscribe_response();  // a copy: keep it alive
  const std::vector<mqtt::ReasonCode>& codes = response.get_reason_codes();
  for (std::size_t i = 0; i < codes.size() && i < topics->size(); ++i) {
    if (static_cast<int>(codes[i]) >= 0x80) refused.push_back((*topics)[i]);
  }
  return refused;
}

}  // namespace

void PahoTransport::Impl::on_subscription_result(const mqtt::token& token, bool success, bool subscribe) {
  if (success && subscribe) {
    std::vector<std::string> refused = refused_filters(token);
    if (!refused.empty()) return report_refused_subscriptions(refused);
  }
  std::string filters;
  if (auto topics = token.get_topics()) {
    for (std::size_t i = 0; i < topics->size(); ++i) filters += (i == 0 ? "" : ", ") + (*topics)[i];
  }
  const char* what = subscribe ? "subscribe" : "unsubscribe";
  bool disconnecting = false;
  port::TransportListener* listener = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    disconnecting = state_ != State::kConnected;
    if (!success && subscribe && !disconnecting && listener_ != nullptr) {
      listener = listener_;
      ++busy_;
    }
  }
  if (success) {
    log(port::LogLevel::kDebug, {what, " to '", filters, "' acknowledged"});
    return;
  }
  const int reason_code = static_cast<int>(token.get_reason_code());
  const std::string failure = std::string(what) + " to '" + filters + "' failed (Paho code " +
                              std::to_string(token.get_return_code()) + ", reason code " + std::to_string(reason_code) +
                              ")";
  // A disconnect fails whatever Paho still had pending (code -11); that is expected, not an error.
  log(disconnecting ? port::LogLevel::kDebug : port::LogLevel::kError, failure);
  if (listener == nullptr) return;
  // MQTT 3.1.1 refuses with SUBACK 0x80 (Paho: return code MQTT_BAD_SUBSCRIBE); MQTT 5 with a reason code.
  const bool refused = reason_code >= 0x80 || token.get_return_code() == MQTT_BAD_SUBSCRIBE;
  const Status status(refused ? StatusCode::kRejected : StatusCode::kIo, failure);
  if (auto topics = token.get_topics()) {
    for (std::size_t i = 0; i < topics->size(); ++i) listener->on_subscribe_failed((*topics)[i], status);
  }
  release_busy();
}

void PahoTransport::Impl::report_refused_subscriptions(const std::vector<std::string>& refused) {
  port::TransportListener* listener = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kConnected || listener_ == nullptr) return;
    listener = listener_;
    ++busy_;
  }
  for (const std::string& filter : refused) {
    const std::string failure = "subscribe to '" + filter + "' refused by the broker (SUBACK failure code)";
    log(port::LogLevel::kError, failure);
    listener->on_subscribe_failed(filter, Status(StatusCode::kRejected, failure));
  }
  release_busy();
}

// ---- listener plumbing ----

void PahoTransport::Impl::log(port::LogLevel level, std::initializer_list<std::string_view> parts) const {
  if (options_.log == nullptr || !options_.log->enabled(level)) return;
  if (parts.size() == 1) {  // the common one-piece message needs no copy
    options_.log->write(level, "paho", *parts.begin());
    return;
  }
  std::string message;
  for (std::string_view part : parts) message.append(part);
  options_.log->write(level, "paho", message);
}

void PahoTransport::Impl::release_busy() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (--busy_ == 0) idle_.notify_all();
}

void PahoTransport::Impl::wait_until_idle(std::unique_lock<std::mutex>& lock) {
  idle_.wait(lock, [this] { return busy_ == 0; });
}

void PahoTransport::Impl::report_connection(port::TransportListener* listener, bool connected, const Status& status,
                                            bool session_present) {
  if (listener != nullptr) listener->on_connection_changed(connected, status, session_present);
}

void PahoTransport::Impl::report_publishes(port::TransportListener* listener,
                                           const std::vector<PublishOutcome>& outcomes) {
  if (listener == nullptr) return;
  for (const auto& outcome : outcomes) listener->on_publish_done(outcome.id, outcome.status);
}

std::vector<PahoTransport::Impl::PublishOutcome> PahoTransport::Impl::as_outcomes(
    const std::vector<port::PublishId>& ids, const Status& status) {
  std::vector<PublishOutcome> outcomes;
  outcomes.reserve(ids.size());
  for (port::PublishId id : ids) outcomes.push_back({id, status});
  return outcomes;
}

}  // namespace docklink::ports
