// The loopback broker's routing, its cloud side, test hooks and inspection. Transport sessions are in
// loopback_sessions.cpp.
#include <algorithm>

#include "docklink/ports/loopback.hpp"
#include "loopback_detail.hpp"

namespace docklink::ports {

using loopback_detail::CloudSubscriber;
using loopback_detail::PendingAck;
using loopback_detail::Session;

namespace {

// Cloud subscriber calls running on this thread, innermost first, so that unsubscribe() from inside a callback
// does not wait for itself. An intrusive list of stack frames: no allocation outlives the call.
struct RunningCall {
  const CloudSubscriber* subscriber;
  const RunningCall* outer;
};
thread_local const RunningCall* innermost_call = nullptr;

std::size_t calls_on_this_thread(const CloudSubscriber* subscriber) {
  std::size_t count = 0;
  for (const RunningCall* call = innermost_call; call != nullptr; call = call->outer) {
    if (call->subscriber == subscriber) ++count;
  }
  return count;
}

void run_cloud_callback(CloudSubscriber& subscriber, const std::string& topic, const std::string& payload) {
  {
    std::lock_guard<std::mutex> lock(subscriber.mutex);
    if (!subscriber.active) return;
    ++subscriber.running;
  }
  // Unwinds the bookkeeping even if a test's callback throws.
  struct Frame {
    CloudSubscriber& subscriber;
    RunningCall call;
    explicit Frame(CloudSubscriber& running) : subscriber(running), call{&running, innermost_call} {
      innermost_call = &call;
    }
    ~Frame() {
      innermost_call = call.outer;
      std::lock_guard<std::mutex> lock(subscriber.mutex);
      --subscriber.running;
      subscriber.idle.notify_all();
    }
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;
  };
  Frame frame(subscriber);
  subscriber.callback(topic, payload);
}

}  // namespace

LoopbackBroker::LoopbackBroker() = default;

LoopbackBroker::~LoopbackBroker() = default;

void LoopbackBroker::collect_receivers_locked(std::string_view topic, Delivery& delivery) const {
  for (const auto& session : connected_) {
    for (const auto& filter : session->filters) {
      if (topic_matches(filter.first, topic)) {
        delivery.sessions.emplace_back(session, session->connection);
        break;  // one copy per session, however many of its filters match
      }
    }
  }
  for (const auto& subscriber : cloud_subscribers_) {
    if (topic_matches(subscriber->filter, topic)) delivery.cloud.push_back(subscriber);
  }
}

void LoopbackBroker::deliver(const Delivery& delivery, const std::string& topic, const std::string& payload) const {
  // Cloud subscribers first: a test's cloud callback can then hold a publish between routing and the delivery
  // to the transports, to check what happens when a transport disconnects in between.
  for (const auto& subscriber : delivery.cloud) run_cloud_callback(*subscriber, topic, payload);
  for (const auto& [session, connection] : delivery.sessions) {
    std::lock_guard<std::recursive_mutex> lock(session->callback_mutex);
    // Skipped when the subscriber disconnected (or reconnected afresh) since the publish was routed.
    if (session->connection != connection || session->listener == nullptr) continue;
    session->listener->on_message(topic, payload);
  }
}

// ---- cloud side ---------------------------------------------------------------------------------------------

LoopbackSubscriptionId LoopbackBroker::subscribe(std::string_view filter, LoopbackCallback callback) {
  if (!is_valid_topic_filter(filter) || !callback) return 0;
  std::lock_guard<std::mutex> lock(mutex_);
  const LoopbackSubscriptionId id = next_subscription_id_++;
  cloud_subscribers_.push_back(std::make_shared<CloudSubscriber>(id, std::string(filter), std::move(callback)));
  return id;
}

void LoopbackBroker::unsubscribe(LoopbackSubscriptionId id) {
  std::shared_ptr<CloudSubscriber> subscriber;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = std::find_if(cloud_subscribers_.begin(), cloud_subscribers_.end(),
                              [id](const auto& candidate) { return candidate->id == id; });
    if (found == cloud_subscribers_.end()) return;
    subscriber = *found;
    cloud_subscribers_.erase(found);
  }
  const std::size_t own_calls = calls_on_this_thread(subscriber.get());
  std::unique_lock<std::mutex> lock(subscriber->mutex);
  subscriber->active = false;
  subscriber->idle.wait(lock, [&] { return subscriber->running == own_calls; });
}

std::size_t LoopbackBroker::publish(std::string_view topic, std::string_view payload, port::Qos qos,
                                    std::string_view sender) {
  if (!is_valid_topic_name(topic)) return 0;
  const std::string topic_copy(topic);
  const std::string payload_copy(payload);
  Delivery delivery;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    published_.push_back(LoopbackPublish{std::string(sender), topic_copy, payload_copy, qos});
    collect_receivers_locked(topic, delivery);
  }
  deliver(delivery, topic_copy, payload_copy);
  return delivery.sessions.size() + delivery.cloud.size();
}

// ---- test hooks ---------------------------------------------------------------------------------------------

std::size_t LoopbackBroker::drop_connection(std::string_view client_id) {
  std::vector<SessionPtr> victims;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& session : connected_) {
      if (session->client_id == client_id) victims.push_back(session);
    }
  }
  std::size_t dropped = 0;
  for (const auto& session : victims) {
    if (disconnect_session(session, Status(StatusCode::kIo, "connection dropped by the loopback broker"))) {
      ++dropped;
    }
  }
  return dropped;
}

void LoopbackBroker::set_refuse_connections(bool refuse, StatusCode status) {
  std::lock_guard<std::mutex> lock(mutex_);
  refuse_connections_ = refuse;
  refuse_status_ = status == StatusCode::kOk ? StatusCode::kAuth : status;
}

void LoopbackBroker::refuse_publishes(std::size_t count, StatusCode status) {
  std::lock_guard<std::mutex> lock(mutex_);
  publishes_to_refuse_ = count;
  publish_refusal_ = status == StatusCode::kOk ? StatusCode::kBusy : status;
}

std::size_t LoopbackBroker::publishes_to_refuse() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return publishes_to_refuse_;
}

void LoopbackBroker::set_hold_acks(bool hold) {
  std::lock_guard<std::mutex> lock(mutex_);
  hold_acks_ = hold;
}

std::size_t LoopbackBroker::release_acks() {
  std::vector<std::pair<SessionPtr, std::uint64_t>> held;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& ack : pending_acks_) {
      if (ack.held) held.emplace_back(ack.session, ack.number);
    }
  }
  std::size_t released = 0;
  for (const auto& [session, number] : held) {
    if (complete_ack(session, number)) ++released;
  }
  return released;
}

std::size_t LoopbackBroker::held_acks() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<std::size_t>(
      std::count_if(pending_acks_.begin(), pending_acks_.end(), [](const PendingAck& ack) { return ack.held; }));
}

// ---- inspection ---------------------------------------------------------------------------------------------

std::vector<LoopbackPublish> LoopbackBroker::published() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return published_;
}

std::vector<LoopbackPublish> LoopbackBroker::published_matching(std::string_view filter) const {
  std::vector<LoopbackPublish> matching;
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& publish : published_) {
    if (topic_matches(filter, publish.topic)) matching.push_back(publish);
  }
  return matching;
}

void LoopbackBroker::clear_published() {
  std::lock_guard<std::mutex> lock(mutex_);
  published_.clear();
}

LoopbackClientStats LoopbackBroker::stats(std::string_view client_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = stats_.find(client_id);
  return found == stats_.end() ? LoopbackClientStats{} : found->second;
}

std::size_t LoopbackBroker::subscribe_count(std::string_view client_id) const { return stats(client_id).subscribes; }

std::vector<std::string> LoopbackBroker::subscriptions(std::string_view client_id) const {
  std::vector<std::string> filters;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& session : connected_) {
      if (session->client_id != client_id) continue;
      for (const auto& filter : session->filters) filters.push_back(filter.first);
    }
  }
  std::sort(filters.begin(), filters.end());
  filters.erase(std::unique(filters.begin(), filters.end()), filters.end());
  return filters;
}

bool LoopbackBroker::is_connected(std::string_view client_id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::any_of(connected_.begin(), connected_.end(),
                     [&](const SessionPtr& session) { return session->client_id == client_id; });
}

}  // namespace docklink::ports
