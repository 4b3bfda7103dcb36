#include "cloud_link.hpp"

#include "docklink/ids.hpp"

namespace docklink::cloud {

namespace {

// Replies go out at QoS 1: the demo cloud uses QoS 2, but the device accepts any QoS and QoS 1 keeps Paho's
// in-flight window simple.
constexpr port::Qos kPublishQos = port::Qos::kAtLeastOnce;
constexpr auto kBusyRetry = std::chrono::milliseconds(5);

TopicKind reply_kind(TopicKind kind) {
  switch (kind) {
    case TopicKind::kStatus:
      return TopicKind::kStatusReply;
    case TopicKind::kEvents:
      return TopicKind::kEventsReply;
    case TopicKind::kRequests:
      return TopicKind::kRequestsReply;
    case TopicKind::kState:
      return TopicKind::kStateReply;
    default:
      return kind;
  }
}

}  // namespace

CloudLink::CloudLink(samples::PlatformSetup& platform) : platform_(platform) {}

CloudLink::~CloudLink() { close(); }

Status CloudLink::open(const samples::MqttSettings& settings, std::chrono::milliseconds timeout) {
  Status status = connection_.open(settings, platform_.ports());
  if (!status) return status;
  connection_.transport().set_listener(this);
  status = connection_.transport().connect();
  if (!status) return status;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!wake_.wait_for(lock, timeout, [this] { return connect_answered_; })) {
      return Status(StatusCode::kTimeout, "no connection to " + settings.broker);
    }
    if (!connect_status_) return connect_status_;
  }
  for (const char* filter : {"sys/product/+/status", "thing/product/+/#"}) {
    status = connection_.transport().subscribe(filter, port::Qos::kAtLeastOnce);
    if (!status) return status;
  }
  worker_ = std::thread([this] { work(); });
  return Status::ok();
}

void CloudLink::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (connection_.is_open()) {
    connection_.transport().disconnect(std::chrono::milliseconds(1000));
    connection_.transport().set_listener(nullptr);
  }
}

void CloudLink::on_uplink(UplinkHandler handler) {
  std::lock_guard<std::mutex> lock(handler_mutex_);
  handler_ = std::move(handler);
}

std::string CloudLink::new_id() {
  auto id = new_uuid(*platform_.ports().random);
  return id ? id.value() : std::to_string(next_publish_id_.fetch_add(1));
}

std::string CloudLink::publish(TopicKind kind, std::string_view sn, std::string_view method, std::string_view data_json,
                               std::string tid, std::string bid) {
  if (tid.empty()) tid = new_id();
  if (bid.empty()) bid = new_id();
  OutboundEnvelope envelope;
  envelope.tid = tid;
  envelope.bid = bid;
  envelope.timestamp = platform_.ports().clock->wall_ms();
  envelope.method = method;
  envelope.data_json = data_json;
  std::string payload;
  encode_envelope(envelope, payload);
  std::string name = topic(kind, sn);
  {
    // Not under mutex_: the transport's callbacks take mutex_, so a publish must never hold it.
    std::lock_guard<std::mutex> lock(publish_mutex_);
    if (outbox_.empty()) {
      Status status = connection_.transport().publish(name, payload, kPublishQos, next_publish_id_++);
      if (status.code() != StatusCode::kBusy) return tid;
    }
    outbox_.emplace_back(std::move(name), std::move(payload));
    outbox_pending_ = true;
  }
  wake_.notify_all();
  return tid;
}

void CloudLink::reply(const Uplink& uplink, std::string_view data_json) {
  publish(reply_kind(uplink.kind), uplink.sn, uplink.envelope.method(), data_json, std::string(uplink.envelope.tid()),
          std::string(uplink.envelope.bid()));
}

void CloudLink::on_message(std::string_view topic_name, std::string_view payload) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    inbox_.emplace_back(std::string(topic_name), std::string(payload));
  }
  wake_.notify_all();
}

void CloudLink::on_connection_changed(bool connected, const Status& status, bool /*session_present*/) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!connect_answered_) {
      connect_answered_ = true;
      connect_status_ = status;
    } else if (!connected) {
      lost_ = true;
    }
    connected_ = connected;
  }
  wake_.notify_all();
}

void CloudLink::on_publish_done(port::PublishId /*id*/, const Status& /*status*/) {}

// Sends what the transport refused as busy, in order; stops at the first refusal.
void CloudLink::flush_outbox() {
  std::lock_guard<std::mutex> lock(publish_mutex_);
  while (!outbox_.empty()) {
    Status status =
        connection_.transport().publish(outbox_.front().first, outbox_.front().second, kPublishQos, next_publish_id_++);
    if (status.code() == StatusCode::kBusy) return;
    outbox_.pop_front();
  }
  outbox_pending_ = false;
}

void CloudLink::work() {
  InboundEnvelope envelope;  // reused: decoding allocates nothing in the steady state
  EnvelopeLimits limits;
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (outbox_pending_) {
      lock.unlock();
      flush_outbox();
      lock.lock();
    }
    if (inbox_.empty()) {
      if (!outbox_pending_) {
        wake_.wait(lock);
      } else {
        wake_.wait_for(lock, kBusyRetry);
      }
      continue;
    }
    auto message = std::move(inbox_.front());
    inbox_.pop_front();
    lock.unlock();
    auto parsed = parse_topic(message.first);
    // Our own downlinks come back through thing/product/+/#; only uplinks matter here.
    if (parsed && !is_downlink(parsed.value().kind) && decode_envelope(message.second, limits, envelope)) {
      std::lock_guard<std::mutex> handler_lock(handler_mutex_);  // on_uplink() waits for this call to end
      if (handler_) handler_(Uplink{parsed.value().kind, parsed.value().sn, message.first, message.second, envelope});
    }
    lock.lock();
  }
}

}  // namespace docklink::cloud
