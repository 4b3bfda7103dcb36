// A scripted cloud for client tests: records what the dock publishes on the loopback broker and lets a test
// publish downlinks and wait (on a condition variable, never a sleep) for the dock's answers.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/ports/loopback.hpp"

namespace docklink::test {

/// One message the dock published, parsed.
struct Seen {
  std::string topic;
  std::string payload;
  std::shared_ptr<rapidjson::Document> json;
  /// A string member of the envelope ("" when absent).
  std::string str(const char* key) const;
  /// data.result, or -100 when absent.
  int result() const;
};

/// A FakeCloud::wait_for() predicate: the message carries `tid`.
inline std::function<bool(const Seen&)> tid_is(std::string tid) {
  return [tid = std::move(tid)](const Seen& seen) { return seen.str("tid") == tid; };
}

/// Cloud side on a LoopbackBroker.
class FakeCloud {
 public:
  explicit FakeCloud(ports::LoopbackBroker& broker);
  /// Unsubscribes, so a late publish never reaches a destroyed FakeCloud.
  ~FakeCloud();

  /// Publishes a downlink as the cloud.
  void publish(const std::string& topic, const std::string& payload);
  /// Publishes a services message and returns its tid.
  std::string call_service(const std::string& sn, const std::string& method, const std::string& data_json,
                           const std::string& tid = {});
  /// Publishes a property/set of `data_json` to `sn` with `tid` and waits for its set_reply (topic "" on timeout).
  Seen set_properties(const std::string& sn, const std::string& tid, const std::string& data_json);
  /// Waits until a message on a topic ending in `suffix` matching `pred` arrives; returns it (or topic "" on
  /// timeout). Messages already seen count too.
  Seen wait_for(const std::string& suffix, std::function<bool(const Seen&)> pred = {},
                std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// How many messages on topics ending in `suffix` matched `pred` so far.
  std::size_t count(const std::string& suffix, std::function<bool(const Seen&)> pred = {});
  /// Waits until count(suffix, pred) >= n.
  bool wait_count(const std::string& suffix, std::size_t n, std::function<bool(const Seen&)> pred = {},
                  std::chrono::milliseconds timeout = std::chrono::seconds(5));
  /// Replies automatically to update_topo (status_reply) when true (the default).
  void set_auto_status_reply(bool on);
  /// Replies automatically to events with need_reply (events_reply result 0) when true (default false).
  void set_auto_events_reply(bool on);
  /// Everything seen so far.
  std::vector<Seen> all();
  /// The method of every uplink so far whose topic ends with `suffix` (e.g. "/events"), in arrival order.
  std::vector<std::string> methods(const std::string& suffix);

 private:
  void on_uplink(const std::string& topic, const std::string& payload);

  ports::LoopbackBroker& broker_;
  std::vector<ports::LoopbackSubscriptionId> subscriptions_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Seen> seen_;
  bool auto_status_reply_ = true;
  bool auto_events_reply_ = false;
  int next_tid_ = 1;
};

}  // namespace docklink::test
