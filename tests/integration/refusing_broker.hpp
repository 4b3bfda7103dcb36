// A minimal MQTT server on a free loopback port that accepts connections and refuses every subscription whose
// filter does not contain "granted" (SUBACK 0x80 over MQTT 3.1.1, reason code 0x87 "not authorized" over MQTT 5),
// one code per filter of a SUBSCRIBE. mosquitto cannot produce this: its ACLs
// grant the subscription and only withhold the messages.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

namespace docklink::test {

/// Serves one client connection at a time until destroyed. Understands CONNECT, SUBSCRIBE, PINGREQ and
/// DISCONNECT; everything else is read and ignored.
class RefusingBroker {
 public:
  RefusingBroker();
  ~RefusingBroker();
  RefusingBroker(const RefusingBroker&) = delete;
  RefusingBroker& operator=(const RefusingBroker&) = delete;

  /// "tcp://127.0.0.1:<port>", or empty when the listening socket could not be made.
  std::string uri() const;
  /// Filters refused so far.
  int refused() const { return refused_.load(); }
  /// SUBSCRIBE packets received so far.
  int subscribes() const { return subscribes_.load(); }

 private:
  void serve();
  void serve_client(int client);

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> refused_{0};
  std::atomic<int> subscribes_{0};
  std::thread thread_;
};

}  // namespace docklink::test
