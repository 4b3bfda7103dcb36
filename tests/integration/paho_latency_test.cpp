// QoS 1 request/reply latency over loopback through mosquitto, with the echo peer (plain Paho) in a separate
// process: two Paho clients in one process share Paho C's threads and the second connects slowly (toolchain
// notes P7). With TCP_NODELAY on both sides a round trip takes well under a millisecond; without it on the
// device side Nagle's algorithm and delayed ACKs add tens of milliseconds (P3). Both are measured and printed.
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <mqtt/async_client.h>

#include "../../ports/paho/tcp_nodelay.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "mosquitto_process.hpp"
#include "paho_test_support.hpp"
#include "test_ports.hpp"

#include <CppUTest/TestHarness.h>

using docklink::port::Qos;
using namespace docklink::test;

namespace {

const char* const kRequestTopic = "latency/request";
const char* const kReplyTopic = "latency/reply";

/// Runs in the forked child: echoes every request as a QoS 1 reply until `stop_fd` closes. Writes one byte to
/// `ready_fd` once subscribed. Never returns.
[[noreturn]] void run_echo_peer(const std::string& uri, std::uint16_t port, int ready_fd, int stop_fd) {
  int exit_code = 0;
  try {
    mqtt::async_client client(uri, "latency-echo-peer");
    client.set_message_callback([&client](mqtt::const_message_ptr request) {
      client.publish(mqtt::make_message(kReplyTopic, request->get_payload(), 1, false));
    });
    auto options = mqtt::connect_options_builder().clean_session(true).finalize();
    client.connect(options)->wait();
    docklink::ports::paho::set_tcp_nodelay_to_peer_port(port);
    client.subscribe(kRequestTopic, 1)->wait();
    const char ready = 1;
    if (write(ready_fd, &ready, 1) != 1) exit_code = 3;
    char ignored = 0;
    while (read(stop_fd, &ignored, 1) > 0) {
    }
    client.disconnect()->wait_for(std::chrono::seconds(1));
  } catch (...) {
    exit_code = 2;
  }
  _exit(exit_code);
}

/// The echo peer as a child process; stopped (and reaped) in the destructor.
class EchoPeer {
 public:
  EchoPeer(const std::string& uri, std::uint16_t port) {
    int ready[2];
    int stop[2];
    if (pipe(ready) != 0 || pipe(stop) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      close(ready[0]);
      close(stop[1]);
      run_echo_peer(uri, port, ready[1], stop[0]);
    }
    close(ready[1]);
    close(stop[0]);
    ready_fd_ = ready[0];
    stop_fd_ = stop[1];
  }
  ~EchoPeer() {
    if (stop_fd_ >= 0) close(stop_fd_);
    if (ready_fd_ >= 0) close(ready_fd_);
    int status = 0;
    if (pid_ > 0) waitpid(pid_, &status, 0);
  }
  EchoPeer(const EchoPeer&) = delete;
  EchoPeer& operator=(const EchoPeer&) = delete;

  /// Waits for the child's "subscribed" byte.
  bool wait_ready() {
    pollfd waiting{ready_fd_, POLLIN, 0};
    char byte = 0;
    return poll(&waiting, 1, 10000) == 1 && read(ready_fd_, &byte, 1) == 1;
  }

 private:
  pid_t pid_ = -1;
  int ready_fd_ = -1;
  int stop_fd_ = -1;
};

/// Round-trip times in microseconds of `count` request/reply exchanges through `broker`.
std::vector<double> measure_round_trips(const MosquittoProcess& broker, bool tcp_nodelay, int count) {
  std::vector<double> samples;
  EchoPeer peer(broker.uri(), broker.port());
  if (!peer.wait_ready()) {
    FAIL("the echo peer did not come up");
    return samples;
  }
  RecordingListener listener;
  auto options = transport_options(broker.uri(), tcp_nodelay ? "latency-nodelay" : "latency-nagle");
  options.tcp_nodelay = tcp_nodelay;
  auto transport = connect_transport(options, listener);
  CHECK_TRUE(transport != nullptr);
  CHECK_TRUE(transport->subscribe(kReplyTopic, Qos::kAtLeastOnce).is_ok());

  // One warm-up exchange also proves the subscription is active before timing starts.
  CHECK_TRUE(transport->publish(kRequestTopic, "warm-up", Qos::kAtLeastOnce, 0).is_ok());
  CHECK_TRUE(listener.wait_for_messages(1));
  for (int i = 1; i <= count; ++i) {
    const auto sent = std::chrono::steady_clock::now();
    CHECK_TRUE(
        transport->publish(kRequestTopic, std::to_string(i), Qos::kAtLeastOnce, static_cast<unsigned>(i)).is_ok());
    CHECK_TRUE(listener.wait_for_messages(static_cast<std::size_t>(i) + 1));
    const auto elapsed = std::chrono::steady_clock::now() - sent;
    samples.push_back(std::chrono::duration<double, std::micro>(elapsed).count());
  }
  STRCMP_EQUAL(std::to_string(count).c_str(), listener.messages().back().second.c_str());
  transport->disconnect(std::chrono::seconds(1));
  return samples;
}

}  // namespace

TEST_GROUP(PahoLatency){};

// The figures are printed for a reader; speed targets live in tests/bench, not in a test's pass/fail.
TEST(PahoLatency, QosOneRoundTripWithNoDelay) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  auto samples = measure_round_trips(broker, true, 200);
  const double p50 = percentile_us(samples, 50);
  std::printf("\n  QoS 1 request/reply, TCP_NODELAY on: p50 %.0f us, p99 %.0f us (%zu round trips)\n", p50,
              percentile_us(samples, 99), samples.size());
  LONGS_EQUAL(200, samples.size());  // every request was answered, in order (measure_round_trips checks the last)
}

TEST(PahoLatency, QosOneRoundTripWithoutNoDelayForComparison) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  auto samples = measure_round_trips(broker, false, 10);
  std::printf("\n  QoS 1 request/reply, TCP_NODELAY off on the device side: p50 %.0f us, max %.0f us\n",
              percentile_us(samples, 50), percentile_us(samples, 100));
  LONGS_EQUAL(10, samples.size());
}

TEST_GROUP(PahoNoDelay){};

// The socket is found through Paho's trace in O(1), not by scanning every descriptor (which made a fleet of
// thousands of clients connect in quadratic time). A client id with a space checks the trace-line matching.
TEST(PahoNoDelay, SocketIsNamedByPahosTraceNotByScanning) {
  MosquittoProcess broker;
  CHECK_TRUE_TEXT(broker.running(), broker.error().c_str());
  RecordingLog log;
  RecordingListener listener;
  auto options = transport_options(broker.uri(), "nodelay probe 1");
  options.log = &log;
  auto transport = connect_transport(options, listener);
  CHECK_TRUE(transport != nullptr);
  CHECK_TRUE_TEXT(log.contains("TCP_NODELAY set on the socket Paho's trace named"), "fell back to scanning");
  transport->disconnect(std::chrono::seconds(1));
}
