// The loopback broker's side of LoopbackTransport: connections, publishes, subscriptions, acknowledgements.
#include <algorithm>
#include <iterator>

#include "docklink/ports/loopback.hpp"
#include "loopback_detail.hpp"

namespace docklink::ports {

using loopback_detail::PendingAck;
using loopback_detail::Session;

LoopbackClientStats& LoopbackBroker::stats_locked(const std::string& client_id) {
  auto found = stats_.find(client_id);
  if (found == stats_.end()) found = stats_.emplace(client_id, LoopbackClientStats{}).first;
  return found->second;
}

std::vector<PendingAck> LoopbackBroker::take_acks_locked(const Session* session) {
  std::vector<PendingAck> taken;
  auto keep = std::stable_partition(pending_acks_.begin(), pending_acks_.end(),
                                    [session](const PendingAck& ack) { return ack.session.get() != session; });
  std::move(keep, pending_acks_.end(), std::back_inserter(taken));
  pending_acks_.erase(keep, pending_acks_.end());
  return taken;
}

bool LoopbackBroker::session_connected(const SessionPtr& session) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return session->connection != 0;
}

Status LoopbackBroker::connect_session(const SessionPtr& session) {
  // MQTT: a new connection with a client id already in use takes the session over; the old one is dropped
  // before the new one is accepted.
  std::vector<SessionPtr> taken_over;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!refuse_connections_ && session->connection == 0) {
      for (const auto& other : connected_) {
        if (other != session && other->client_id == session->client_id) taken_over.push_back(other);
      }
    }
  }
  for (const auto& other : taken_over) {
    disconnect_session(other, Status(StatusCode::kIo, "session taken over by a new connection"));
  }

  std::lock_guard<std::recursive_mutex> callbacks(session->callback_mutex);
  Status outcome;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    LoopbackClientStats& stats = stats_locked(session->client_id);
    ++stats.connect_attempts;
    if (session->connection != 0) return Status(StatusCode::kBusy, "already connected");
    if (refuse_connections_) {
      outcome = Status(refuse_status_, "loopback broker refuses connections");
    } else {
      session->connection = next_connection_number_++;
      ++stats.connects;
      connected_.push_back(session);
    }
  }
  if (session->listener != nullptr) session->listener->on_connection_changed(outcome.is_ok(), outcome, false);
  return Status::ok();
}

bool LoopbackBroker::disconnect_session(const SessionPtr& session, const Status& reason) {
  std::lock_guard<std::recursive_mutex> callbacks(session->callback_mutex);
  std::vector<PendingAck> unacknowledged;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (session->connection == 0) return false;
    session->connection = 0;
    session->filters.clear();  // clean session
    connected_.erase(std::remove(connected_.begin(), connected_.end(), session), connected_.end());
    unacknowledged = take_acks_locked(session.get());
  }
  port::TransportListener* listener = session->listener;
  if (listener == nullptr) return true;
  listener->on_connection_changed(false, reason, false);
  const Status lost(StatusCode::kNotConnected, "connection closed before the acknowledgement");
  for (const auto& ack : unacknowledged) listener->on_publish_done(ack.id, lost);
  return true;
}

bool LoopbackBroker::complete_ack(const SessionPtr& session, std::uint64_t ack_number) {
  // Under the session's callback lock the connection cannot end meanwhile, so an acknowledgement still pending
  // here belongs to the live connection and is reported exactly once.
  std::lock_guard<std::recursive_mutex> callbacks(session->callback_mutex);
  port::PublishId id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = std::find_if(pending_acks_.begin(), pending_acks_.end(),
                              [ack_number](const PendingAck& ack) { return ack.number == ack_number; });
    if (found == pending_acks_.end()) return false;
    id = found->id;
    pending_acks_.erase(found);
  }
  if (session->listener != nullptr) session->listener->on_publish_done(id, Status::ok());
  return true;
}

Status LoopbackBroker::publish_from(const SessionPtr& session, std::string_view topic, std::string_view payload,
                                    port::Qos qos, port::PublishId id) {
  if (!is_valid_topic_name(topic)) {
    return Status(StatusCode::kInvalidArgument, "invalid MQTT topic name '" + std::string(topic) + "'");
  }
  const std::string topic_copy(topic);
  const std::string payload_copy(payload);
  Delivery delivery;
  std::uint64_t ack_number = 0;
  bool held = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (session->connection == 0) return Status(StatusCode::kNotConnected, "loopback transport is not connected");
    if (publishes_to_refuse_ > 0) {
      --publishes_to_refuse_;
      return Status(publish_refusal_, "loopback broker refused the publish (test hook)");
    }
    ++stats_locked(session->client_id).publishes;
    published_.push_back(LoopbackPublish{session->client_id, topic_copy, payload_copy, qos});
    collect_receivers_locked(topic, delivery);
    if (qos != port::Qos::kAtMostOnce) {
      ack_number = next_ack_number_++;
      held = hold_acks_;
      pending_acks_.push_back(PendingAck{session, id, ack_number, held});
    }
  }
  deliver(delivery, topic_copy, payload_copy);
  if (ack_number != 0 && !held) complete_ack(session, ack_number);
  return Status::ok();
}

Status LoopbackBroker::subscribe_session(const SessionPtr& session, std::string_view filter, port::Qos qos) {
  if (!is_valid_topic_filter(filter)) {
    return Status(StatusCode::kInvalidArgument, "invalid MQTT topic filter '" + std::string(filter) + "'");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (session->connection == 0) return Status(StatusCode::kNotConnected, "loopback transport is not connected");
    if (refused_filters_.count(filter) == 0) {
      session->filters[std::string(filter)] = qos;
      ++stats_locked(session->client_id).subscribes;
      return Status::ok();
    }
  }
  // Refused like a SUBACK failure code: the request itself went out, the refusal comes through the listener.
  std::lock_guard<std::recursive_mutex> callbacks(session->callback_mutex);
  if (session->listener != nullptr) {
    session->listener->on_subscribe_failed(
        filter,
        Status(StatusCode::kRejected, "loopback broker refused the subscription to '" + std::string(filter) + "'"));
  }
  return Status::ok();
}

void LoopbackBroker::set_refuse_subscriptions(std::string_view filter, bool refuse) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (refuse) {
    refused_filters_.emplace(filter);
  } else if (auto found = refused_filters_.find(filter); found != refused_filters_.end()) {
    refused_filters_.erase(found);
  }
}

Status LoopbackBroker::unsubscribe_session(const SessionPtr& session, std::string_view filter) {
  if (!is_valid_topic_filter(filter)) {
    return Status(StatusCode::kInvalidArgument, "invalid MQTT topic filter '" + std::string(filter) + "'");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (session->connection == 0) return Status(StatusCode::kNotConnected, "loopback transport is not connected");
  auto found = session->filters.find(filter);
  if (found != session->filters.end()) session->filters.erase(found);
  ++stats_locked(session->client_id).unsubscribes;
  return Status::ok();
}

}  // namespace docklink::ports
