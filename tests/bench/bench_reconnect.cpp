// Reconnect: the broker is restarted under a connected DockLink client; measured from the moment the broker
// accepts TCP again to the client's subscriptions being restored and its update_topo acknowledged by a cloud peer
// (status_reply). The reconnect backoff delay (time from broker up to the connect attempt that succeeded) is
// measured and subtracted; short backoff options are used and their bound is printed. A transport decorator
// timestamps connect(), subscribe(), the CONNACK and the status_reply arrival.
// Baseline, same run: a raw Paho client doing the same work against the running broker (connect, TCP_NODELAY,
// the same subscriptions, one QoS 1 status message answered by the same peer).
// With --default-backoff the dock keeps the library's backoff (1 s first bound, reset once a connection was set up
// and stayed up 5 s) and each connection is held --hold-ms before the next restart: the delay after each restart
// is what a deployed dock sees (issue #12); --legacy-rule resets only after 30 s of uptime, as before that issue.
// Usage: bench_reconnect --broker-dir DIR [--rounds N] [--out FILE] [--default-backoff] [--hold-ms MS]
//                        [--legacy-rule]
//   DIR is a scripts/test-broker.sh directory (port, pid, mosquitto.conf); the restarted broker's PID is written
//   back to DIR/pid so that `test-broker.sh stop DIR` still stops it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <mqtt/async_client.h>

#include "docklink/client.hpp"
#include "docklink/ports/linux_platform.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "paho_disconnect.hpp"
#include "tcp_nodelay.hpp"

namespace {

std::int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

/// True when something accepts TCP on 127.0.0.1:port.
bool port_accepts(std::uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return ok;
}

/// Stops the broker of `dir` and starts it again with the same configuration; returns the time it accepts TCP.
std::int64_t restart_broker(const std::string& dir, std::uint16_t port) {
  const pid_t old_pid = static_cast<pid_t>(std::atol(read_text(dir + "/pid").c_str()));
  if (old_pid > 0) kill(old_pid, SIGTERM);
  // From the second round on the broker is our child: reap it, or kill(pid, 0) would see the zombie forever.
  while (old_pid > 0 && kill(old_pid, 0) == 0 && waitpid(old_pid, nullptr, WNOHANG) != old_pid)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // Everything the child needs is prepared before fork: this process has threads, so the child may only make
  // async-signal-safe calls (no malloc, no stdio) before exec.
  const std::string log = dir + "/stdout.log";
  const std::string conf = dir + "/mosquitto.conf";
  const char* binary = access("/usr/sbin/mosquitto", X_OK) == 0 ? "/usr/sbin/mosquitto" : "mosquitto";
  const pid_t pid = fork();
  if (pid == 0) {
    setsid();
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    execlp(binary, "mosquitto", "-c", conf.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::ofstream(dir + "/pid") << pid << "\n";
  while (!port_accepts(port)) std::this_thread::sleep_for(std::chrono::microseconds(200));
  return now_us();
}

/// The cloud peer (a separate process): answers every update_topo with status_reply and reconnects at once
/// (every 2 ms) when the broker goes away. Its session is persistent (scripts/bench.sh gives the broker
/// persistence), so what the dock sends before the peer is back waits for it instead of being lost.
[[noreturn]] void run_peer(const std::string& uri, std::uint16_t port, int quit_fd) {
  mqtt::async_client client(uri, "bench-reconnect-cloud-" + std::to_string(getpid()));
  client.set_message_callback([&](mqtt::const_message_ptr message) {
    const std::string& body = message->get_payload();
    const auto tid_at = body.find("\"tid\":\"");
    const auto bid_at = body.find("\"bid\":\"");
    if (tid_at == std::string::npos || bid_at == std::string::npos) return;
    const std::string tid = body.substr(tid_at + 7, body.find('"', tid_at + 7) - tid_at - 7);
    const std::string bid = body.substr(bid_at + 7, body.find('"', bid_at + 7) - bid_at - 7);
    const std::string reply = R"({"tid":")" + tid + R"(","bid":")" + bid +
                              R"(","timestamp":1763798400000,"method":"update_topo","data":{"result":0}})";
    try {
      client.publish(message->get_topic() + "_reply", reply.data(), reply.size(), 1, false);
    } catch (const mqtt::exception&) {
    }
  });
  auto options =
      mqtt::connect_options_builder().clean_session(false).connect_timeout(std::chrono::seconds(2)).finalize();
  for (;;) {
    char byte = 0;
    if (read(quit_fd, &byte, 1) == 1) break;  // non-blocking pipe: any byte means quit
    if (!client.is_connected()) {
      try {
        client.connect(options)->wait();
        // The raw Paho peers need TCP_NODELAY as much as DockLink does: without it the update_topo round trip
        // waits ~40 ms for a delayed ACK.
        docklink::ports::paho::set_tcp_nodelay_to_peer_port(port);
        client.subscribe("sys/product/+/status", 1)->wait();
      } catch (const mqtt::exception&) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  const std::string failed = docklink::bench::disconnect_within(client, std::chrono::seconds(1));
  if (!failed.empty()) std::fprintf(stderr, "cloud peer: disconnect failed: %s\n", failed.c_str());
  std::_Exit(0);
}

/// Wraps the Paho transport and timestamps what the reconnect is made of.
class TimingTransport final : public docklink::port::Transport, public docklink::port::TransportListener {
 public:
  explicit TimingTransport(docklink::port::Transport& inner) : inner_(inner) {}

  /// Time stamps of the current reconnect (µs, steady clock; 0 = not yet).
  struct Marks {
    std::int64_t last_connect_call = 0;
    std::int64_t connack = 0;
    std::int64_t last_subscribe_call = 0;
    std::int64_t status_reply = 0;
    std::vector<std::string> filters;
  };

  void reset() {
    std::lock_guard<std::mutex> lock(mutex_);
    marks_ = Marks{};
  }
  Marks marks() {
    std::lock_guard<std::mutex> lock(mutex_);
    return marks_;
  }
  /// Waits until a status_reply arrived after the last reset.
  bool wait_status_reply(std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return marks_.status_reply != 0; });
  }

  void set_listener(docklink::port::TransportListener* listener) override {
    outer_ = listener;
    inner_.set_listener(listener == nullptr ? nullptr : this);
  }
  docklink::Status connect() override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      marks_.last_connect_call = now_us();
    }
    return inner_.connect();
  }
  void disconnect(std::chrono::milliseconds timeout) override { inner_.disconnect(timeout); }
  bool is_connected() const override { return inner_.is_connected(); }
  docklink::Status publish(std::string_view topic, std::string_view payload, docklink::port::Qos qos,
                           docklink::port::PublishId id) override {
    return inner_.publish(topic, payload, qos, id);
  }
  docklink::Status subscribe(std::string_view filter, docklink::port::Qos qos) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      marks_.last_subscribe_call = now_us();
      marks_.filters.emplace_back(filter);
    }
    return inner_.subscribe(filter, qos);
  }
  // The core subscribes all its filters in one call (one SUBSCRIBE): forward it as one, not filter by filter.
  docklink::Status subscribe_many(const std::vector<std::string>& filters, docklink::port::Qos qos) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      marks_.last_subscribe_call = now_us();
      marks_.filters.insert(marks_.filters.end(), filters.begin(), filters.end());
    }
    return inner_.subscribe_many(filters, qos);
  }
  docklink::Status unsubscribe(std::string_view filter) override { return inner_.unsubscribe(filter); }

  void on_message(std::string_view topic, std::string_view payload) override {
    if (topic.size() > 13 && topic.substr(topic.size() - 13) == "/status_reply") {
      std::lock_guard<std::mutex> lock(mutex_);
      if (marks_.status_reply == 0) marks_.status_reply = now_us();
      changed_.notify_all();
    }
    outer_->on_message(topic, payload);
  }
  void on_connection_changed(bool connected, const docklink::Status& status, bool session_present) override {
    if (connected) {
      std::lock_guard<std::mutex> lock(mutex_);
      marks_.connack = now_us();
    }
    outer_->on_connection_changed(connected, status, session_present);
  }
  void on_publish_done(docklink::port::PublishId id, const docklink::Status& status) override {
    outer_->on_publish_done(id, status);
  }

 private:
  docklink::port::Transport& inner_;
  docklink::port::TransportListener* outer_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  Marks marks_;
};

/// One measured reconnect, in ms.
struct Sample {
  double total = 0;            // broker up -> status_reply
  double backoff = 0;          // broker up -> the successful connect() call
  double connect = 0;          // connect() call -> CONNACK
  double resubscribe = 0;      // CONNACK -> last subscribe() call
  double topo_ack = 0;         // last subscribe() call -> status_reply
  std::uint64_t bound_ms = 0;  // delay bound of the reconnect that succeeded (Counters::reconnect_bound_ms)
  double without_backoff() const { return total - backoff; }
};

double median(std::vector<double> values) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}
double maximum(const std::vector<double>& values) {
  return values.empty() ? -1 : *std::max_element(values.begin(), values.end());
}
/// Nearest-rank percentile (with 10 samples, p99 is the largest).
double percentile(std::vector<double> values, double p) {
  if (values.empty()) return -1;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(values.size())));
  return values[std::min(values.size(), std::max<std::size_t>(rank, 1)) - 1];
}

std::string fmt(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

struct Arguments {
  std::string dir;
  std::string out;
  int rounds = 5;
  bool default_backoff = false;  ///< The library's backoff instead of the short 50/200 ms one.
  bool legacy_rule = false;      ///< Reset only after 30 s of uptime (the rule before issue #12).
  int hold_ms = 300;             ///< How long each connection stays up before the next restart.
};

Arguments parse_arguments(int argc, char** argv) {
  Arguments arguments;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    if (key == "--default-backoff") {
      arguments.default_backoff = true;
      continue;
    }
    if (key == "--legacy-rule") {
      arguments.legacy_rule = true;
      continue;
    }
    if (key == "--broker-dir") arguments.dir = value;
    if (key == "--rounds") arguments.rounds = std::atoi(value);
    if (key == "--out") arguments.out = value;
    if (key == "--hold-ms") arguments.hold_ms = std::atoi(value);
    ++i;
  }
  return arguments;
}

/// The measured dock: short backoff (the step table), or the library's (the restart delay table).
docklink::ClientOptions dock_options(const Arguments& arguments) {
  docklink::ClientOptions options;
  options.gateway = {"BENCHRECONNECT1", "3", 2, 0, "", "1.2.0", "", ""};
  options.sub_devices = {{"BENCHRECONNECTA", "0", 91, 1, "A", "1.2.0", "", ""}};
  if (!arguments.default_backoff) {
    options.backoff.initial_ms = 50;
    options.backoff.max_ms = 200;
  }
  // The former rule: only 30 s of uptime reset the backoff, whatever the set-up.
  if (arguments.legacy_rule) options.backoff.ready_stable_ms = options.backoff.reset_after_ms;
  options.reply_timeout_ms = 1000;
  return options;
}

/// Restarts the broker `rounds` times, each after the connection was up `hold_ms`, and times each reconnect.
std::vector<Sample> run_rounds(const Arguments& arguments, std::uint16_t port, TimingTransport& transport,
                               docklink::Client& client) {
  std::vector<Sample> samples;
  for (int round = 0; round < arguments.rounds; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(arguments.hold_ms));
    transport.reset();
    const std::int64_t up = restart_broker(arguments.dir, port);
    if (!transport.wait_status_reply(std::chrono::seconds(300))) {
      std::fprintf(stderr, "round %d: no status_reply after the restart\n", round);
      continue;
    }
    const auto marks = transport.marks();
    Sample sample;
    sample.total = static_cast<double>(marks.status_reply - up) / 1000.0;
    sample.backoff = std::max(0.0, static_cast<double>(marks.last_connect_call - up) / 1000.0);
    sample.connect = static_cast<double>(marks.connack - std::max(marks.last_connect_call, up)) / 1000.0;
    sample.resubscribe = static_cast<double>(marks.last_subscribe_call - marks.connack) / 1000.0;
    sample.topo_ack = static_cast<double>(marks.status_reply - marks.last_subscribe_call) / 1000.0;
    sample.bound_ms = client.counters().reconnect_bound_ms;
    samples.push_back(sample);
    std::fprintf(stderr,
                 "round %d: total %.1f ms, backoff %.1f (bound %llu), connect %.1f, resubscribe %.1f, topo ack %.1f\n",
                 round, sample.total, sample.backoff, static_cast<unsigned long long>(sample.bound_ms), sample.connect,
                 sample.resubscribe, sample.topo_ack);
  }
  return samples;
}

/// The table of a --default-backoff run: the delay after each restart, and its p50/p99.
std::string restart_delay_table(const Arguments& arguments, const std::vector<Sample>& samples,
                                const docklink::Counters& counters) {
  std::ostringstream md;
  md << "### Reconnect delay after each of " << arguments.rounds << " broker restarts ("
     << (arguments.legacy_rule ? "former rule: backoff reset after 30 s of uptime"
                               : "backoff reset once a set-up connection stayed up 5 s")
     << "; library backoff 1 s doubling to 2 min, full jitter; each connection held " << arguments.hold_ms
     << " ms)\n\n";
  md << "| restart | broker up → update_topo acknowledged (ms) | of which backoff wait (ms) | delay bound (ms) |\n";
  md << "| ---: | ---: | ---: | ---: |\n";
  std::vector<double> totals;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    md << "| " << i + 1 << " | " << fmt(samples[i].total) << " | " << fmt(samples[i].backoff) << " | "
       << samples[i].bound_ms << " |\n";
    totals.push_back(samples[i].total);
  }
  md << "\n"
     << samples.size() << " of " << arguments.rounds << " restarts measured; p50 " << fmt(percentile(totals, 50))
     << " ms, p99 " << fmt(percentile(totals, 99)) << " ms (nearest rank); backoff resets " << counters.backoff_resets
     << ", failed connect attempts " << counters.connect_failures << ".\n\n";
  return md.str();
}

/// Baseline: raw Paho, same broker (running), same subscriptions, one status message answered by the peer.
std::vector<double> raw_baseline(const std::string& uri, std::uint16_t port, int rounds,
                                 const std::vector<std::string>& filters) {
  std::vector<double> baseline;
  for (int round = 0; round < rounds; ++round) {
    mqtt::async_client raw(uri, "bench-reconnect-raw-" + std::to_string(getpid()) + "-" + std::to_string(round));
    std::mutex mutex;
    std::condition_variable changed;
    bool replied = false;
    raw.set_message_callback([&](mqtt::const_message_ptr) {
      std::lock_guard<std::mutex> lock(mutex);
      replied = true;
      changed.notify_all();
    });
    const std::string sn = "BENCHRAWRECON" + std::to_string(round);
    const std::int64_t start = now_us();
    try {
      raw.connect(mqtt::connect_options_builder().clean_session(true).finalize())->wait();
      docklink::ports::paho::set_tcp_nodelay_to_peer_port(port);
      // One SUBSCRIBE for the dock's filters, as the SDK sends it, then the reply topic.
      raw.subscribe(mqtt::string_collection::create(filters), mqtt::iasync_client::qos_collection(filters.size(), 1));
      raw.subscribe("sys/product/" + sn + "/status_reply", 1)->wait();
      const std::string topo = R"({"tid":"t-)" + std::to_string(round) +
                               R"(","bid":"b","timestamp":1,)"
                               R"("method":"update_topo","data":{"sub_devices":[]}})";
      raw.publish("sys/product/" + sn + "/status", topo.data(), topo.size(), 1, false);
      std::unique_lock<std::mutex> lock(mutex);
      if (changed.wait_for(lock, std::chrono::seconds(5), [&] { return replied; }))
        baseline.push_back(static_cast<double>(now_us() - start) / 1000.0);
      lock.unlock();
      raw.disconnect()->wait();
    } catch (const mqtt::exception& e) {
      std::fprintf(stderr, "raw baseline round %d: %s\n", round, e.what());
    }
  }
  return baseline;
}

/// The table of a short-backoff run: what a reconnect is made of, beside the raw Paho baseline.
std::string step_table(const Arguments& arguments, const std::vector<Sample>& samples,
                       const std::vector<double>& baseline, std::size_t filter_count, std::uint64_t topo_retries) {
  std::vector<double> total, backoff, work, connect, resubscribe, ack;
  for (const auto& s : samples) {
    total.push_back(s.total);
    backoff.push_back(s.backoff);
    work.push_back(s.without_backoff());
    connect.push_back(s.connect);
    resubscribe.push_back(s.resubscribe);
    ack.push_back(s.topo_ack);
  }
  std::ostringstream md;
  md << "### Reconnect after a broker restart (" << samples.size() << " of " << arguments.rounds
     << " rounds; backoff initial 50 ms, bound 200 ms, full jitter)\n\n";
  md << "| step (ms) | median | max |\n| --- | ---: | ---: |\n";
  md << "| broker up → update_topo acknowledged (total) | " << fmt(median(total)) << " | " << fmt(maximum(total))
     << " |\n";
  md << "| of which backoff wait (broker up → successful connect attempt) | " << fmt(median(backoff)) << " | "
     << fmt(maximum(backoff)) << " |\n";
  md << "| **total − backoff** | **" << fmt(median(work)) << "** | **" << fmt(maximum(work)) << "** |\n";
  md << "| · connect attempt → CONNACK | " << fmt(median(connect)) << " | " << fmt(maximum(connect)) << " |\n";
  md << "| · CONNACK → SUBSCRIBE of " << filter_count << " filters sent | " << fmt(median(resubscribe)) << " | "
     << fmt(maximum(resubscribe)) << " |\n";
  md << "| · subscriptions → status_reply (update_topo round trip) | " << fmt(median(ack)) << " | " << fmt(maximum(ack))
     << " |\n";
  md << "| baseline: raw Paho connect + same subscriptions + one status/status_reply | " << fmt(median(baseline))
     << " | " << fmt(maximum(baseline)) << " |\n\n";
  md << "update_topo resends during the rounds: " << topo_retries << ".\n\n";
  return md.str();
}

}  // namespace

int main(int argc, char** argv) {
  const Arguments arguments = parse_arguments(argc, argv);
  if (arguments.dir.empty()) {
    std::fprintf(stderr,
                 "usage: bench_reconnect --broker-dir DIR [--rounds N] [--out FILE] [--default-backoff] "
                 "[--hold-ms MS] [--legacy-rule]\n");
    return 2;
  }
  const auto port = static_cast<std::uint16_t>(std::atoi(read_text(arguments.dir + "/port").c_str()));
  const std::string uri = "tcp://127.0.0.1:" + std::to_string(port);
  int quit[2];
  if (pipe(quit) != 0) return 2;
  const pid_t peer = fork();  // before any Paho client exists here
  if (peer == 0) {
    close(quit[1]);
    fcntl(quit[0], F_SETFL, O_NONBLOCK);
    run_peer(uri, port, quit[0]);
  }
  close(quit[0]);

  docklink::ports::LinuxPlatformOptions platform_options;
  platform_options.log_level = docklink::port::LogLevel::kError;
  auto os = docklink::ports::LinuxPlatform::create(platform_options).value();
  docklink::Runtime runtime(os->clock());
  docklink::ports::PahoTransportOptions mqtt;
  mqtt.server_uri = uri;
  mqtt.default_client_id = "bench-reconnect-dock-" + std::to_string(getpid());
  mqtt.log = &os->log();
  auto paho = docklink::ports::PahoTransport::create(mqtt).value();
  TimingTransport transport(*paho);
  auto client = docklink::Client::create(dock_options(arguments), os->platform(), transport, runtime).value();
  if (!client->start()) std::fprintf(stderr, "start() failed\n");
  if (!transport.wait_status_reply(std::chrono::seconds(15))) {
    std::fprintf(stderr, "first connect and update_topo did not complete\n");
  }
  const std::uint64_t retries_before = client->counters().retries;
  const std::vector<Sample> samples = run_rounds(arguments, port, transport, *client);
  const docklink::Counters counters = client->counters();
  const std::vector<std::string> filters = transport.marks().filters;
  static_cast<void>(client->stop());  // the rounds are measured; a failed stop changes none of them
  client.reset();

  std::string md;
  if (arguments.default_backoff) {
    md = restart_delay_table(arguments, samples, counters);
  } else {
    const std::vector<double> baseline = raw_baseline(uri, port, arguments.rounds, filters);
    md = step_table(arguments, samples, baseline, filters.size(), counters.retries - retries_before);
  }
  (void)!write(quit[1], "q", 1);
  waitpid(peer, nullptr, 0);
  std::fputs(md.c_str(), stdout);
  if (!arguments.out.empty()) std::ofstream(arguments.out, std::ios::app) << md;
  return samples.empty() ? 1 : 0;
}
