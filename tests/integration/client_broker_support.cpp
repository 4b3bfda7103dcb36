#include "client_broker_support.hpp"

#include <rapidjson/document.h>

namespace docklink::test {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string member(const rapidjson::Document& document, const char* key) {
  auto it = document.FindMember(key);
  return it != document.MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

}  // namespace

BrokerCloud::BrokerCloud(const std::string& uri, ports::MqttVersion version, bool persistent_session) {
  ports::PahoTransportOptions options;
  options.clean_session = !persistent_session;
  options.server_uri = uri;
  options.mqtt_version = version;
  options.default_client_id = "test-cloud";
  transport_ = std::move(ports::PahoTransport::create(options)).value();
  transport_->set_listener(this);
}

BrokerCloud::~BrokerCloud() {
  transport_->disconnect(std::chrono::milliseconds(500));
  transport_->set_listener(nullptr);
}

bool BrokerCloud::connect() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    connected_ = false;
  }
  if (!transport_->connect()) return false;
  std::unique_lock<std::mutex> lock(mutex_);
  if (!changed_.wait_for(lock, std::chrono::seconds(10), [this] { return connected_; })) return false;
  lock.unlock();
  for (const char* filter : {"sys/product/+/status", "thing/product/+/events", "thing/product/+/services_reply",
                             "thing/product/+/requests", "thing/product/+/osd", "thing/product/+/state"}) {
    if (!transport_->subscribe(filter, port::Qos::kAtLeastOnce)) return false;
  }
  return true;
}

void BrokerCloud::publish(const std::string& topic, const std::string& payload) {
  // A publish the transport refuses shows as the dock's missing reaction, which the test awaits and checks.
  static_cast<void>(transport_->publish(topic, payload, port::Qos::kAtLeastOnce, 1));
}

void BrokerCloud::on_message(std::string_view topic_view, std::string_view payload_view) {
  std::string topic(topic_view);
  std::string payload(payload_view);
  rapidjson::Document document;
  document.Parse(payload.c_str());
  bool answer = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    received_.emplace_back(topic, payload);
    if (document.IsObject()) {
      bool need_reply =
          document.HasMember("need_reply") && document["need_reply"].IsInt() && document["need_reply"].GetInt() == 1;
      answer = ends_with(topic, "/status") || (answer_events_ && ends_with(topic, "/events") && need_reply);
    }
  }
  changed_.notify_all();
  if (answer) {
    // Answering from Paho's callback thread: publish() only queues, so this does not block it.
    // On Paho's thread a test cannot CHECK; a refused reply shows as the dock's resend or missing acknowledgement.
    static_cast<void>(transport_->publish(topic + "_reply",
                                          R"({"tid":")" + member(document, "tid") + R"(","bid":")" +
                                              member(document, "bid") + R"(","timestamp":1,"method":")" +
                                              member(document, "method") + R"(","data":{"result":0}})",
                                          port::Qos::kAtLeastOnce, 2));
  }
}

void BrokerCloud::on_connection_changed(bool connected, const Status&, bool) {
  std::lock_guard<std::mutex> lock(mutex_);
  connected_ = connected;
  changed_.notify_all();
}

bool BrokerCloud::wait_count(const std::string& suffix, std::size_t count, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    std::size_t n = 0;
    for (const auto& message : received_) n += ends_with(message.first, suffix) ? 1u : 0u;
    return n >= count;
  });
}

std::vector<std::pair<std::string, std::string>> BrokerCloud::received() {
  std::lock_guard<std::mutex> lock(mutex_);
  return received_;
}

std::vector<std::string> BrokerCloud::methods(const std::string& suffix) {
  std::vector<std::string> out;
  for (const auto& message : received()) {
    if (!ends_with(message.first, suffix)) continue;
    rapidjson::Document document;
    document.Parse(message.second.c_str());
    if (document.IsObject()) out.push_back(member(document, "method"));
  }
  return out;
}

void BrokerCloud::set_answer_events(bool on) {
  std::lock_guard<std::mutex> lock(mutex_);
  answer_events_ = on;
}

ClientOptions broker_dock_options(const std::string& sn) {
  ClientOptions options;
  options.gateway.sn = sn;
  options.gateway.domain = "3";
  options.gateway.type = 2;
  options.gateway.thing_version = "1.2.0";
  DeviceInfo aircraft;
  aircraft.sn = sn + "-UAV";
  aircraft.domain = "0";
  aircraft.type = 91;
  options.sub_devices.push_back(aircraft);
  options.reply_timeout_ms = 500;
  options.max_retries = 3;
  options.backoff.initial_ms = 50;
  options.backoff.max_ms = 200;
  return options;
}

BrokerDock::BrokerDock(const std::string& uri, ports::MqttVersion version, ClientOptions options, port::Store* store) {
  ports::PahoTransportOptions mqtt;
  mqtt.server_uri = uri;
  mqtt.mqtt_version = version;
  mqtt.default_client_id = options.gateway.sn;
  mqtt.connect_timeout = std::chrono::seconds(2);
  transport = std::move(ports::PahoTransport::create(mqtt)).value();
  port::Platform platform{&clock, &random, &log, store};
  client = std::move(Client::create(std::move(options), platform, *transport, runtime)).value();
}

BrokerDock::~BrokerDock() { client.reset(); }

}  // namespace docklink::test
