#include "fake_cloud.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace docklink::test {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string reply_topic(const std::string& topic) { return topic + "_reply"; }

}  // namespace

std::string Seen::str(const char* key) const {
  if (!json || !json->IsObject()) return {};
  auto it = json->FindMember(key);
  return it != json->MemberEnd() && it->value.IsString() ? it->value.GetString() : std::string();
}

int Seen::result() const {
  if (!json || !json->IsObject()) return -100;
  auto data = json->FindMember("data");
  if (data == json->MemberEnd() || !data->value.IsObject()) return -100;
  auto result = data->value.FindMember("result");
  return result != data->value.MemberEnd() && result->value.IsInt() ? result->value.GetInt() : -100;
}

FakeCloud::FakeCloud(ports::LoopbackBroker& broker) : broker_(broker) {
  for (const char* filter : {"sys/product/+/status", "thing/product/+/osd", "thing/product/+/state",
                             "thing/product/+/services_reply", "thing/product/+/events", "thing/product/+/requests",
                             "thing/product/+/property/set_reply", "thing/product/+/drc/up"}) {
    subscriptions_.push_back(broker_.subscribe(filter, [this](std::string_view topic, std::string_view payload) {
      on_uplink(std::string(topic), std::string(payload));
    }));
  }
}

FakeCloud::~FakeCloud() {
  for (auto id : subscriptions_) broker_.unsubscribe(id);
}

void FakeCloud::on_uplink(const std::string& topic, const std::string& payload) {
  Seen seen{topic, payload, std::make_shared<rapidjson::Document>()};
  seen.json->Parse(payload.c_str());
  bool status_reply = false;
  bool events_reply = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    seen_.push_back(seen);
    status_reply = auto_status_reply_ && ends_with(topic, "/status");
    events_reply = auto_events_reply_ && ends_with(topic, "/events") && seen.json->IsObject() &&
                   seen.json->HasMember("need_reply") && (*seen.json)["need_reply"].IsInt() &&
                   (*seen.json)["need_reply"].GetInt() == 1;
  }
  cv_.notify_all();
  if (status_reply || events_reply) {
    std::string body = R"({"tid":")" + seen.str("tid") + R"(","bid":")" + seen.str("bid") +
                       R"(","timestamp":1,"method":")" + seen.str("method") + R"(","data":{"result":0}})";
    publish(reply_topic(topic), body);
  }
}

void FakeCloud::publish(const std::string& topic, const std::string& payload) { broker_.publish(topic, payload); }

std::string FakeCloud::call_service(const std::string& sn, const std::string& method, const std::string& data_json,
                                    const std::string& tid_in) {
  std::string tid = tid_in;
  if (tid.empty()) {
    std::lock_guard<std::mutex> lock(mutex_);
    tid = "tid-" + std::to_string(next_tid_++);
  }
  publish("thing/product/" + sn + "/services", R"({"tid":")" + tid + R"(","bid":"bid-)" + tid +
                                                   R"(","timestamp":1700000000000,"method":")" + method +
                                                   R"(","data":)" + data_json + "}");
  return tid;
}

std::size_t FakeCloud::count(const std::string& suffix, std::function<bool(const Seen&)> pred) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t n = 0;
  for (const auto& seen : seen_) {
    if (ends_with(seen.topic, suffix) && (!pred || pred(seen))) ++n;
  }
  return n;
}

Seen FakeCloud::set_properties(const std::string& sn, const std::string& tid, const std::string& data_json) {
  publish("thing/product/" + sn + "/property/set",
          R"({"tid":")" + tid + R"(","bid":"b","timestamp":1,"data":)" + data_json + "}");
  return wait_for("/property/set_reply", [tid](const Seen& s) { return s.str("tid") == tid; });
}

Seen FakeCloud::wait_for(const std::string& suffix, std::function<bool(const Seen&)> pred,
                         std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  Seen found;
  cv_.wait_for(lock, timeout, [&] {
    for (const auto& seen : seen_) {
      if (ends_with(seen.topic, suffix) && (!pred || pred(seen))) {
        found = seen;
        return true;
      }
    }
    return false;
  });
  return found;
}

bool FakeCloud::wait_count(const std::string& suffix, std::size_t n, std::function<bool(const Seen&)> pred,
                           std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return cv_.wait_for(lock, timeout, [&] {
    std::size_t matched = 0;
    for (const auto& seen : seen_) {
      if (ends_with(seen.topic, suffix) && (!pred || pred(seen))) ++matched;
    }
    return matched >= n;
  });
}

void FakeCloud::set_auto_status_reply(bool on) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto_status_reply_ = on;
}

void FakeCloud::set_auto_events_reply(bool on) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto_events_reply_ = on;
}

std::vector<Seen> FakeCloud::all() {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_;
}

std::vector<std::string> FakeCloud::methods(const std::string& suffix) {
  std::vector<std::string> found;
  for (const auto& seen : all()) {
    if (ends_with(seen.topic, suffix)) found.push_back(seen.str("method"));
  }
  return found;
}

}  // namespace docklink::test
