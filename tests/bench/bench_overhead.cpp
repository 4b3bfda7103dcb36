// Overhead of DockLink against plain Paho on the same broker and payloads:
//  (a) uplink throughput, QoS 0 (Client::publish_osd) and QoS 1 (Client::publish_event), versus a raw Paho
//      async_client publishing pre-serialised envelopes of the same size (QoS 1 window 20, TCP_NODELAY);
//  (b) service round trip: a cloud peer publishes `services`, DockLink's handler answers on `services_reply`,
//      versus a raw Paho client echoing the call onto `services_reply`.
// The peer (subscriber / cloud) is a forked process with its own Paho client (docs/toolchain-notes.md#p7: clients in
// one process share Paho C's threads). Rounds alternate raw and DockLink; medians of the rounds are reported. Usage:
// bench_overhead --broker tcp://127.0.0.1:PORT [--qos0 N] [--qos1 N] [--calls N] [--rounds R]
//                       [--only raw|docklink] [--out F]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <mqtt/async_client.h>

#include "docklink/client.hpp"
#include "docklink/ports/linux_platform.hpp"
#include "docklink/ports/paho_transport.hpp"
#include "paho_disconnect.hpp"
#include "tcp_nodelay.hpp"
#include "wait_connected.hpp"

namespace {

using docklink::Client;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// Benchmark settings from the command line.
struct Settings {
  std::string broker;
  std::uint16_t port = 0;
  int qos0_messages = 50000;
  int qos1_messages = 20000;
  int calls = 2000;
  int rounds = 5;    // throughput swings by ~20 % between rounds on 2 shared cores
  std::string only;  // "raw" or "docklink" to run one side alone (for profiling)
  std::string out;
};

/// A ~1 KiB aircraft OSD data object (the field set of an M3D in flight).
std::string aircraft_osd_json() {
  return R"({"mode_code":5,"gear":1,"horizontal_speed":8.3,"vertical_speed":-0.2,"longitude":113.943225,)"
         R"("latitude":22.577673,"height":120.52,"elevation":95.7,"attitude_pitch":-2.1,"attitude_roll":0.4,)"
         R"("attitude_head":87.6,"home_distance":812.4,"wind_speed":3.2,"wind_direction":4,)"
         R"("battery":{"capacity_percent":71,"remain_flight_time":1320,"return_home_power":18,)"
         R"("landing_power":8,"batteries":[{"capacity_percent":71,"index":0,"sn":"4BUPJ9K0A1B2C3",)"
         R"("type":0,"sub_type":0,"firmware_version":"02.01.0011","loop_times":57,"voltage":15820,)"
         R"("temperature":38.4,"high_voltage_storage_days":0}]},"total_flight_distance":183520.6,)"
         R"("total_flight_time":215040,"total_flight_sorties":412,"track_id":"track-20261122-0042",)"
         R"("position_state":{"is_fixed":2,"quality":5,"gps_number":19,"rtk_number":31},)"
         R"("storage":{"total":60000000,"used":12873216},"camera_mode":1,"zoom_factor":2.0,)"
         R"("cameras":[{"payload_index":"81-0-0","camera_mode":1,"photo_state":0,"recording_state":0,)"
         R"("zoom_factor":2.0,"ir_zoom_factor":2.0,"liveview_world_region":{"left":0.25,"top":0.25,)"
         R"("right":0.75,"bottom":0.75},"remain_photo_num":4012,"remain_record_duration":0,)"
         R"("record_time":0}],"obstacle_avoidance":{"horizon":1,"upside":1,"downside":1},)"
         R"("night_lights_state":0,"height_limit":500,"distance_limit_status":{"state":1,)"
         R"("distance_limit":5000},"maintain_status":{"maintain_status_array":[]},)"
         R"("activation_time":1700000000,"is_near_area_limit":0,"is_near_height_limit":0})";
}

/// A full envelope as DockLink would put on the wire, for the raw baseline (pre-serialised once).
std::string envelope(const std::string& method, const std::string& data, const std::string& gateway) {
  std::string out = R"({"tid":"6a7bfe89-c386-4043-b600-b518e10096cc","bid":"42a19f36-5117-4520-bd13-fd61d818d52e",)"
                    R"("timestamp":1763798400000,)";
  if (!method.empty()) out += R"("method":")" + method + R"(",)";
  out += R"("data":)" + data;
  if (!gateway.empty()) out += R"(,"gateway":")" + gateway + R"(")";
  return out + "}";
}

/// A connected raw Paho client (MQTT 3.1.1, clean session, TCP_NODELAY), or nullptr.
std::unique_ptr<mqtt::async_client> raw_client(const Settings& settings, const std::string& id, int buffered) {
  mqtt::create_options create(MQTTVERSION_3_1_1);
  create.set_max_buffered_messages(buffered);
  auto client = std::make_unique<mqtt::async_client>(settings.broker, id, create);
  auto options = mqtt::connect_options_builder()
                     .clean_session(true)
                     .keep_alive_interval(std::chrono::seconds(30))
                     .mqtt_version(MQTTVERSION_3_1_1)
                     .finalize();
  try {
    client->connect(options)->wait();
  } catch (const mqtt::exception& e) {
    std::fprintf(stderr, "raw connect failed: %s\n", e.what());
    return nullptr;
  }
  docklink::ports::paho::set_tcp_nodelay_to_peer_port(settings.port);
  return client;
}

// ---------------------------------------------------------------------------------------------------------------
// The peer process: counts arrivals or plays the cloud for round trips. Commands come line by line on a pipe.

struct Peer {
  std::mutex mutex;
  std::condition_variable changed;
  std::string filter;
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
  std::string reply_topic;
  std::uint64_t replies = 0;
};

int percentile_index(std::size_t n, double p) {
  return static_cast<int>(std::min<double>(static_cast<double>(n) - 1, p * static_cast<double>(n)));
}

void run_peer(const Settings& settings, FILE* commands, FILE* answers) {
  auto client = raw_client(settings, "bench-peer-" + std::to_string(getpid()), 100000);
  if (!client) std::_Exit(2);
  Peer peer;
  client->set_message_callback([&](mqtt::const_message_ptr message) {
    const std::string& topic = message->get_topic();
    if (topic.size() > 7 && topic.compare(topic.size() - 7, 7, "/status") == 0) {
      // Acknowledge update_topo so the DockLink client stops resending it.
      std::string reply_topic = topic + "_reply";
      const std::string& body = message->get_payload_str();
      auto tid_at = body.find("\"tid\":\"");
      auto bid_at = body.find("\"bid\":\"");
      if (tid_at == std::string::npos || bid_at == std::string::npos) return;
      std::string tid = body.substr(tid_at + 7, body.find('"', tid_at + 7) - tid_at - 7);
      std::string bid = body.substr(bid_at + 7, body.find('"', bid_at + 7) - bid_at - 7);
      std::string reply = R"({"tid":")" + tid + R"(","bid":")" + bid +
                          R"(","timestamp":1763798400000,"method":"update_topo","data":{"result":0}})";
      client->publish(reply_topic, reply.data(), reply.size(), 1, false);
      return;
    }
    const std::int64_t now = now_ns();
    std::lock_guard<std::mutex> lock(peer.mutex);
    if (topic == peer.reply_topic) {
      ++peer.replies;
      peer.changed.notify_all();
      return;
    }
    if (peer.count == 0) peer.first_ns = now;
    ++peer.count;
    peer.bytes += message->get_payload().size();
    peer.last_ns = now;
    peer.changed.notify_all();
  });
  client->subscribe("sys/product/+/status", 1)->wait();
  char line[512];
  while (std::fgets(line, sizeof line, commands) != nullptr) {
    std::istringstream in(line);
    std::string verb;
    in >> verb;
    if (verb == "count") {
      std::string filter;
      int qos = 0;
      std::uint64_t expected = 0;
      in >> filter >> qos >> expected;
      client->subscribe(filter, qos)->wait();
      {
        std::lock_guard<std::mutex> lock(peer.mutex);
        peer.count = peer.bytes = 0;
      }
      std::fprintf(answers, "ready\n");
      std::fflush(answers);
      std::unique_lock<std::mutex> lock(peer.mutex);
      // Done when all arrived, or when nothing arrived for 3 s (QoS 0 may lose messages).
      while (peer.count < expected) {
        const std::uint64_t before = peer.count;
        peer.changed.wait_for(lock, std::chrono::seconds(3), [&] { return peer.count >= expected; });
        if (peer.count == before) break;
      }
      std::fprintf(answers, "done %llu %llu %lld %lld\n", static_cast<unsigned long long>(peer.count),
                   static_cast<unsigned long long>(peer.bytes), static_cast<long long>(peer.first_ns),
                   static_cast<long long>(peer.last_ns));
      std::fflush(answers);
      lock.unlock();
      client->unsubscribe(filter)->wait();
    } else if (verb == "rtt") {
      std::string sn;
      int calls = 0;
      in >> sn >> calls;
      const std::string call_topic = "thing/product/" + sn + "/services";
      {
        std::lock_guard<std::mutex> lock(peer.mutex);
        peer.reply_topic = call_topic + "_reply";
        peer.replies = 0;
      }
      client->subscribe(call_topic + "_reply", 1)->wait();
      std::vector<double> rtt_us;
      int lost = 0;
      const int warmup = 200;
      for (int i = 0; i < warmup + calls; ++i) {
        char tid[64];
        std::snprintf(tid, sizeof tid, "00000000-0000-4000-8000-%012d", i + 1000000 * (getpid() % 1000));
        std::string call = std::string(R"({"tid":")") + tid + R"(","bid":")" + tid +
                           R"(","timestamp":1763798400000,"method":"bench_ping","data":{"value":1}})";
        std::unique_lock<std::mutex> lock(peer.mutex);
        const std::uint64_t before = peer.replies;
        lock.unlock();
        const std::int64_t start = now_ns();
        client->publish(call_topic, call.data(), call.size(), 1, false);
        lock.lock();
        if (!peer.changed.wait_for(lock, std::chrono::seconds(2), [&] { return peer.replies > before; })) {
          ++lost;
          continue;
        }
        const std::int64_t end = now_ns();
        if (i >= warmup) rtt_us.push_back(static_cast<double>(end - start) / 1000.0);
      }
      std::sort(rtt_us.begin(), rtt_us.end());
      const std::size_t n = rtt_us.size();
      if (n == 0) {
        std::fprintf(answers, "rtt 0 0 0 0 %d\n", lost);
      } else {
        std::fprintf(answers, "rtt %zu %.1f %.1f %.1f %d\n", n,
                     rtt_us[static_cast<std::size_t>(percentile_index(n, 0.5))],
                     rtt_us[static_cast<std::size_t>(percentile_index(n, 0.99))], rtt_us.back(), lost);
      }
      std::fflush(answers);
      client->unsubscribe(call_topic + "_reply")->wait();
      std::lock_guard<std::mutex> lock(peer.mutex);
      peer.reply_topic.clear();
    } else if (verb == "quit") {
      break;
    }
  }
  const std::string failed = docklink::bench::disconnect_within(*client, std::chrono::seconds(2));
  if (!failed.empty()) std::fprintf(stderr, "peer: disconnect failed: %s\n", failed.c_str());
  std::_Exit(0);
}

/// The parent's handle on the peer process.
struct PeerLink {
  pid_t pid = -1;
  FILE* commands = nullptr;
  FILE* answers = nullptr;

  std::string ask(const std::string& command) {
    std::fprintf(commands, "%s\n", command.c_str());
    std::fflush(commands);
    char line[512];
    if (std::fgets(line, sizeof line, answers) == nullptr) return {};
    return line;
  }
  std::string read_line() {
    char line[512];
    if (std::fgets(line, sizeof line, answers) == nullptr) return {};
    return line;
  }
};

PeerLink fork_peer(const Settings& settings) {
  int down[2];
  int up[2];
  if (pipe(down) != 0 || pipe(up) != 0) std::exit(2);
  PeerLink link;
  link.pid = fork();
  if (link.pid == 0) {
    close(down[1]);
    close(up[0]);
    run_peer(settings, fdopen(down[0], "r"), fdopen(up[1], "w"));
  }
  close(down[0]);
  close(up[1]);
  link.commands = fdopen(down[1], "w");
  link.answers = fdopen(up[0], "r");
  return link;
}

// ---------------------------------------------------------------------------------------------------------------
// Measurements.

/// Uplink throughput of one run: end to end (first publish to last arrival at the peer).
struct Throughput {
  double messages_per_s = 0;
  double publish_per_s = 0;  // rate at which publish() calls returned
  std::uint64_t received = 0;
  double bytes_per_message = 0;
};

/// Round-trip percentiles of one run, in microseconds.
struct RoundTrip {
  double p50 = 0, p99 = 0, max = 0;
  int samples = 0, lost = 0;
};

template <typename PublishAll>
Throughput measure_throughput(PeerLink& peer, const std::string& filter, int qos, int n, PublishAll publish_all) {
  Throughput result;
  if (peer.ask("count " + filter + " " + std::to_string(qos) + " " + std::to_string(n)).rfind("ready", 0) != 0)
    return result;
  const std::int64_t start = now_ns();
  publish_all();
  const std::int64_t published = now_ns();
  std::istringstream done(peer.read_line());
  std::string verb;
  unsigned long long count = 0, bytes = 0;
  long long first = 0, last = 0;
  done >> verb >> count >> bytes >> first >> last;
  result.received = count;
  if (count > 0 && last > start) {
    result.messages_per_s = static_cast<double>(count) * 1e9 / static_cast<double>(last - start);
    result.bytes_per_message = static_cast<double>(bytes) / static_cast<double>(count);
  }
  result.publish_per_s =
      static_cast<double>(n) * 1e9 / static_cast<double>(std::max<std::int64_t>(1, published - start));
  return result;
}

RoundTrip measure_round_trip(PeerLink& peer, const std::string& sn, int calls) {
  RoundTrip result;
  std::istringstream in(peer.ask("rtt " + sn + " " + std::to_string(calls)));
  std::string verb;
  in >> verb >> result.samples >> result.p50 >> result.p99 >> result.max >> result.lost;
  return result;
}

/// One round of the raw baseline.
struct RoundResult {
  Throughput qos0, qos1;
  RoundTrip rtt;
};

RoundResult raw_round(const Settings& settings, PeerLink& peer, int round) {
  RoundResult result;
  const std::string sn = "RAWDOCK" + std::to_string(round);
  auto client = raw_client(settings, "bench-raw-" + std::to_string(getpid()) + "-" + std::to_string(round),
                           settings.qos0_messages + 100);
  if (!client) return result;
  const std::string osd = envelope("", aircraft_osd_json(), sn);
  const std::string osd_topic = "thing/product/" + sn + "/osd";
  result.qos0 = measure_throughput(peer, osd_topic, 0, settings.qos0_messages, [&] {
    for (int i = 0; i < settings.qos0_messages; ++i) client->publish(osd_topic, osd.data(), osd.size(), 0, false);
  });
  const std::string event = envelope("bench_event", aircraft_osd_json(), sn);
  const std::string event_topic = "thing/product/" + sn + "/events";
  result.qos1 = measure_throughput(peer, event_topic, 1, settings.qos1_messages, [&] {
    std::deque<mqtt::delivery_token_ptr> window;
    for (int i = 0; i < settings.qos1_messages; ++i) {
      if (window.size() >= 20) {
        window.front()->wait();
        window.pop_front();
      }
      window.push_back(client->publish(event_topic, event.data(), event.size(), 1, false));
    }
    for (auto& token : window) token->wait();
  });
  // Echo: every call on `services` goes back unchanged on `services_reply`.
  const std::string call_topic = "thing/product/" + sn + "/services";
  const std::string reply_topic = call_topic + "_reply";
  client->set_message_callback([&](mqtt::const_message_ptr message) {
    const std::string& body = message->get_payload();
    client->publish(reply_topic, body.data(), body.size(), 1, false);
  });
  client->subscribe(call_topic, 1)->wait();
  result.rtt = measure_round_trip(peer, sn, settings.calls);
  const std::string failed = docklink::bench::disconnect_within(*client, std::chrono::seconds(2));
  if (!failed.empty()) std::fprintf(stderr, "raw round %d: disconnect failed: %s\n", round, failed.c_str());
  return result;
}

RoundResult docklink_round(const Settings& settings, PeerLink& peer, int round) {
  RoundResult result;
  docklink::ports::LinuxPlatformOptions platform_options;
  platform_options.log_level = docklink::port::LogLevel::kWarn;
  auto os = docklink::ports::LinuxPlatform::create(platform_options).value();
  docklink::Runtime runtime(os->clock());
  docklink::ports::PahoTransportOptions mqtt;
  mqtt.server_uri = settings.broker;
  mqtt.default_client_id = "bench-docklink-" + std::to_string(getpid()) + "-" + std::to_string(round);
  mqtt.qos0_buffer = static_cast<unsigned>(settings.qos0_messages + 100);
  mqtt.log = &os->log();
  auto transport = docklink::ports::PahoTransport::create(mqtt).value();
  const std::string sn = "BENCHDOCK" + std::to_string(round);
  docklink::ClientOptions options;
  options.gateway = {sn, "3", 2, 0, "", "1.2.0", "", ""};
  auto client = Client::create(options, os->platform(), *transport, runtime).value();
  client->on_service("bench_ping", [](docklink::ServiceCall&) { return docklink::ServiceReply::ok(); });
  if (!docklink::bench::start_and_wait_connected(*client, std::chrono::seconds(15))) {
    std::fprintf(stderr, "DockLink client did not connect\n");
    return result;
  }
  const std::string osd = aircraft_osd_json();
  result.qos0 = measure_throughput(peer, "thing/product/" + sn + "/osd", 0, settings.qos0_messages, [&] {
    // A refused message never reaches the peer, whose count then falls short: measure_throughput reports that.
    for (int i = 0; i < settings.qos0_messages; ++i) static_cast<void>(client->publish_osd(sn, osd));
  });
  result.qos1 = measure_throughput(peer, "thing/product/" + sn + "/events", 1, settings.qos1_messages, [&] {
    for (int i = 0; i < settings.qos1_messages; ++i) static_cast<void>(client->publish_event("bench_event", osd));
  });
  result.rtt = measure_round_trip(peer, sn, settings.calls);
  const docklink::Counters counters = client->counters();
  if (counters.offline_queued != 0 || counters.inbound_dropped != 0) {
    std::fprintf(stderr, "note: DockLink round %d queued %llu offline, dropped %llu inbound\n", round,
                 static_cast<unsigned long long>(counters.offline_queued),
                 static_cast<unsigned long long>(counters.inbound_dropped));
  }
  static_cast<void>(client->stop());  // the measurements are done; a failed stop changes none of them
  return result;
}

/// The median of `values` (the mean of the middle two for an even count; 0 for none).
double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

/// One throughput field of every round.
std::vector<double> per_round(const std::vector<RoundResult>& rounds, double Throughput::*field,
                              Throughput RoundResult::*which) {
  std::vector<double> values;
  for (const auto& r : rounds) values.push_back((r.*which).*field);
  return values;
}

/// DockLink / raw of each round (the rounds alternate, so a pair saw the same machine load); rounds where raw
/// measured nothing are left out.
std::vector<double> round_ratios(const std::vector<RoundResult>& raw, const std::vector<RoundResult>& ours,
                                 Throughput RoundResult::*which) {
  std::vector<double> ratios;
  for (std::size_t i = 0; i < raw.size() && i < ours.size(); ++i) {
    const double base = (raw[i].*which).messages_per_s;
    if (base > 0) ratios.push_back((ours[i].*which).messages_per_s / base);
  }
  return ratios;
}

/// The median of the rounds' percentiles, each taken on its own (the rounds with samples only).
RoundTrip median_rtt(const std::vector<RoundResult>& rounds) {
  std::vector<double> p50, p99, max;
  RoundTrip chosen;
  for (const auto& r : rounds) {
    if (r.rtt.samples == 0) continue;
    p50.push_back(r.rtt.p50);
    p99.push_back(r.rtt.p99);
    max.push_back(r.rtt.max);
    chosen.samples += r.rtt.samples;
    chosen.lost += r.rtt.lost;
  }
  chosen.p50 = median(p50);
  chosen.p99 = median(p99);
  chosen.max = median(max);
  return chosen;
}

std::string fmt(const char* format, double value) {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

bool parse(int argc, char** argv, Settings& settings) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--broker")
      settings.broker = value;
    else if (key == "--qos0")
      settings.qos0_messages = std::atoi(value.c_str());
    else if (key == "--qos1")
      settings.qos1_messages = std::atoi(value.c_str());
    else if (key == "--calls")
      settings.calls = std::atoi(value.c_str());
    else if (key == "--rounds")
      settings.rounds = std::atoi(value.c_str());
    else if (key == "--out")
      settings.out = value;
    else if (key == "--only")
      settings.only = value;
    else
      return false;
  }
  const auto colon = settings.broker.rfind(':');
  if (settings.broker.empty() || colon == std::string::npos) return false;
  settings.port = static_cast<std::uint16_t>(std::atoi(settings.broker.c_str() + colon + 1));
  return settings.port != 0;
}

/// The throughput table: medians of the rounds, and the median of the per-round ratios with their range.
/// Returns {QoS 0 ratio, QoS 1 ratio}.
std::pair<double, double> throughput_table(std::ostringstream& md, const Settings& settings,
                                           const std::vector<RoundResult>& raw, const std::vector<RoundResult>& ours) {
  md << "| uplink | messages | bytes/msg raw / DockLink | received raw / DockLink | publish calls/s raw / DockLink "
        "| raw Paho msg/s | DockLink msg/s | DockLink / raw (median of rounds) | min–max of rounds |\n";
  md << "| --- | ---: | --- | --- | --- | ---: | ---: | ---: | --- |\n";
  const auto row = [&](const char* name, int n, Throughput RoundResult::*which) {
    const std::vector<double> ratios = round_ratios(raw, ours, which);
    const double ratio = median(ratios);
    const auto [lowest, highest] = std::minmax_element(ratios.begin(), ratios.end());
    const double low = ratios.empty() ? 0 : *lowest;
    const double high = ratios.empty() ? 0 : *highest;
    md << "| " << name << " | " << n << " | " << fmt("%.0f", (raw.front().*which).bytes_per_message) << " / "
       << fmt("%.0f", (ours.front().*which).bytes_per_message) << " | " << (raw.front().*which).received << " / "
       << (ours.front().*which).received << " | "
       << fmt("%.0f", median(per_round(raw, &Throughput::publish_per_s, which))) << " / "
       << fmt("%.0f", median(per_round(ours, &Throughput::publish_per_s, which))) << " | "
       << fmt("%.0f", median(per_round(raw, &Throughput::messages_per_s, which))) << " | "
       << fmt("%.0f", median(per_round(ours, &Throughput::messages_per_s, which))) << " | "
       << (ratios.empty() ? "n/a" : fmt("%.1f %%", 100.0 * ratio)) << " | " << fmt("%.0f", 100.0 * low) << "–"
       << fmt("%.0f %%", 100.0 * high) << " |\n";
    return ratio;
  };
  const double qos0 = row("QoS 0 (publish_osd, aircraft OSD)", settings.qos0_messages, &RoundResult::qos0);
  const double qos1 = row("QoS 1 (publish_event, window 20)", settings.qos1_messages, &RoundResult::qos1);
  return {qos0, qos1};
}

/// The whole Markdown section: throughput, round trip, and the issue's targets met or missed.
std::string report(const Settings& settings, const std::vector<RoundResult>& raw,
                   const std::vector<RoundResult>& ours) {
  std::ostringstream md;
  md << "### Overhead versus raw Paho (same broker, median of " << settings.rounds << " alternating rounds)\n\n";
  const auto [qos0_ratio, qos1_ratio] = throughput_table(md, settings, raw, ours);
  const RoundTrip base = median_rtt(raw);
  const RoundTrip mine = median_rtt(ours);
  md << "\n| service round trip (" << settings.calls
     << " calls per round, QoS 1 both ways; median of the rounds' percentiles) | p50 µs | p99 µs | max µs | lost |\n";
  md << "| --- | ---: | ---: | ---: | ---: |\n";
  md << "| raw Paho echo | " << fmt("%.0f", base.p50) << " | " << fmt("%.0f", base.p99) << " | "
     << fmt("%.0f", base.max) << " | " << base.lost << " |\n";
  md << "| DockLink handler + services_reply | " << fmt("%.0f", mine.p50) << " | " << fmt("%.0f", mine.p99) << " | "
     << fmt("%.0f", mine.max) << " | " << mine.lost << " |\n";
  md << "| DockLink − raw | " << fmt("%+.0f", mine.p50 - base.p50) << " | " << fmt("%+.0f", mine.p99 - base.p99)
     << " | " << fmt("%+.0f", mine.max - base.max) << " | |\n\n";
  md << "Targets: QoS 0 throughput ≥ 90 % of raw: **" << (qos0_ratio >= 0.9 ? "met" : "missed") << "** ("
     << fmt("%.1f %%", 100.0 * qos0_ratio) << "); QoS 1 ≥ 95 %: **" << (qos1_ratio >= 0.95 ? "met" : "missed") << "** ("
     << fmt("%.1f %%", 100.0 * qos1_ratio) << "); round-trip p99 within 300 µs of the raw echo: **"
     << (mine.samples > 0 && mine.p99 - base.p99 <= 300.0 ? "met" : "missed") << "** ("
     << fmt("%+.0f µs", mine.p99 - base.p99) << ").\n\n";
  return md.str();
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  if (!parse(argc, argv, settings)) {
    std::fprintf(stderr,
                 "usage: bench_overhead --broker tcp://127.0.0.1:PORT [--qos0 N] [--qos1 N] [--calls N] "
                 "[--rounds R] [--only raw|docklink] [--out FILE]\n");
    return 2;
  }
  PeerLink peer = fork_peer(settings);  // before any Paho client exists in this process
  std::vector<RoundResult> raw, ours;
  for (int round = 0; round < settings.rounds; ++round) {
    raw.push_back(settings.only == "docklink" ? RoundResult{} : raw_round(settings, peer, round));
    ours.push_back(settings.only == "raw" ? RoundResult{} : docklink_round(settings, peer, round));
    std::fprintf(stderr, "round %d: raw q0 %.0f q1 %.0f p99 %.0f us | docklink q0 %.0f q1 %.0f p99 %.0f us\n", round,
                 raw.back().qos0.messages_per_s, raw.back().qos1.messages_per_s, raw.back().rtt.p99,
                 ours.back().qos0.messages_per_s, ours.back().qos1.messages_per_s, ours.back().rtt.p99);
  }
  peer.ask("quit");
  waitpid(peer.pid, nullptr, 0);

  const std::string md = report(settings, raw, ours);
  std::fputs(md.c_str(), stdout);
  if (!settings.out.empty()) std::ofstream(settings.out, std::ios::app) << md;
  return 0;
}
