// Raw Paho baseline for bench_fleet: the same fleet (N docks, dock + aircraft OSD every period at a random phase,
// one process, one broker) with plain Paho MQTT C++ async_clients publishing pre-serialised envelopes at QoS 0, and
// no DockLink Client. Scheduling mirrors the SDK's so the two rows compare like for like: one timer thread posts
// each due source to a pool of worker threads (the SDK's default dispatcher count, 2), next due = previous due +
// period (now + period when that is already past). Lateness is taken exactly as bench_fleet takes it (right
// before the publish, on the worker, against the mirrored schedule) and the row has bench_fleet's columns.
// Usage: bench_fleet_raw --broker tcp://127.0.0.1:PORT --docks N [--osd-period-ms 2000] [--duration-s 20]
//                        [--broker-pid PID] [--tcp-nodelay 0|1] [--connect-timeout-s S] [--workers 2]
//                        [--out FILE] [--protocol 0|1]
// --protocol 1: each dock also does what a DockLink dock does once connected, so the comparison is like for like:
// one SUBSCRIBE for the same 8 downlink filters (QoS 1), an update_topo on sys/product/{sn}/status (QoS 1) that the
// same bench_status_responder acknowledges, resent after 3 s, doubling up to 60 s, until its status_reply arrives.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <mqtt/async_client.h>

#include "fleet_report.hpp"
#include "paho_disconnect.hpp"
#include "tcp_nodelay.hpp"

namespace {

using namespace docklink::bench;

/// Runs posted tasks on a fixed number of threads, in the order posted (the SDK's dispatcher pool).
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
  }
  ~WorkerPool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  /// Queues `task` for the next free thread.
  void post(std::function<void()> task) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    changed_.notify_one();
  }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) return;
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

/// One timer thread calling each registered action at its due time (steady ms); an action returns its next due
/// time. The SDK's executor timer, reduced to what the fleet needs.
class Timer {
 public:
  Timer() : thread_([this] { run(); }) {}
  ~Timer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  /// Calls `action` first at `due_ms`, then whenever the time it returned comes; a negative time ends it.
  void add(std::int64_t due_ms, std::function<std::int64_t()> action) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      actions_.push_back(std::move(action));
      due_.push({due_ms, actions_.size() - 1});
    }
    changed_.notify_all();
  }

 private:
  using Entry = std::pair<std::int64_t, std::size_t>;  // due, action index

  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
      if (due_.empty()) {
        changed_.wait(lock);
        continue;
      }
      const Entry next = due_.top();
      const std::int64_t now = now_ms();
      if (next.first > now) {
        changed_.wait_for(lock, std::chrono::milliseconds(next.first - now));
        continue;
      }
      due_.pop();
      const std::int64_t again = actions_[next.second]();  // the actions only post work: cheap under the lock
      if (again >= 0) due_.push({again, next.second});
    }
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::function<std::int64_t()>> actions_;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> due_;
  bool stopping_ = false;
  std::thread thread_;
};

/// One simulated dock: a plain Paho client.
struct RawDock {
  std::string sn;
  std::unique_ptr<mqtt::async_client> client;
  mqtt::connect_options options;
  bool was_connected = false;  // guarded by FleetState::mutex
  std::atomic<bool> online{false};
  int failures_in_row = 0;  // Paho's callback thread only
  std::atomic<bool> topology_acknowledged{false};
  std::atomic<int> epoch{0};  // connects so far: a resend timer of an older connection stops
};

/// One OSD source of a dock: its topic and its envelope, serialised once.
struct RawSource {
  RawDock* dock = nullptr;
  mqtt::const_message_ptr message;
  OsdSchedule schedule;
};

/// The envelope bench_fleet's SDK builds around `data` (fixed ids and timestamp here), so the bytes match.
std::string envelope(const std::string& gateway_sn, const char* data) {
  return std::string(R"({"tid":"6a7bfe89-c386-4043-b600-b518e10096cc","bid":"42a19f36-5117-4520-bd13-fd61d818d52e",)") +
         R"("timestamp":1763798400000,"data":)" + data + R"(,"gateway":")" + gateway_sn + R"("})";
}

/// What a DockLink dock sends and subscribes once connected (bench_fleet's docks: one aircraft, "A").
struct DockProtocol {
  /// The DJI downlink filters the SDK subscribes for a gateway with one sub-device.
  static std::vector<std::string> filters(const std::string& sn) {
    std::vector<std::string> out;
    for (const char* suffix : {"/services", "/events_reply", "/requests_reply", "/property/set"})
      out.push_back("thing/product/" + sn + suffix);
    out.push_back("sys/product/" + sn + "/status_reply");
    out.push_back("thing/product/" + sn + "/drc/down");
    out.push_back("thing/product/" + sn + "/state_reply");
    out.push_back("thing/product/" + sn + "A/state_reply");
    return out;
  }

  /// update_topo for the dock and its aircraft, with a fresh tid per send as the SDK does.
  static mqtt::const_message_ptr update_topo(const std::string& sn, std::uint64_t tid) {
    const std::string id = std::to_string(tid);
    const std::string body =
        R"({"tid":")" + id + R"(","bid":")" + id + R"(","timestamp":1763798400000,"method":"update_topo",)" +
        R"("data":{"domain":"3","type":2,"sub_type":0,"device_secret":"","nonce":"","thing_version":"1.2.0",)" +
        R"("sub_devices":[{"sn":")" + sn + R"(A","domain":"0","type":91,"sub_type":1,"index":"A",)" +
        R"("device_secret":"","nonce":"","thing_version":"1.2.0"}]},"gateway":")" + sn + R"("})";
    return mqtt::make_message("sys/product/" + sn + "/status", body, 1, false);
  }
};

/// Reconnects failed docks after the SDK's backoff (full jitter from 1 s, doubling, capped at 120 s).
class Reconnector {
 public:
  explicit Reconnector(Timer& timer) : timer_(timer) {}

  /// Schedules another connect of `dock`.
  void retry(RawDock& dock, mqtt::iaction_listener& listener) {
    const int shift = std::min(dock.failures_in_row++, 7);
    const std::int64_t ceiling = std::min<std::int64_t>(1000LL << shift, 120000);
    std::int64_t delay;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      delay = std::uniform_int_distribution<std::int64_t>(0, ceiling)(random_);
    }
    RawDock* target = &dock;
    mqtt::iaction_listener* callback = &listener;
    timer_.add(now_ms() + delay, [target, callback] {
      std::thread([target, callback] { connect(*target, *callback); }).detach();  // not on the timer thread
      return std::int64_t{-1};
    });
  }

  /// Starts a connect of `dock`; the outcome goes to `listener`.
  static void connect(RawDock& dock, mqtt::iaction_listener& listener) {
    try {
      dock.client->connect(dock.options, nullptr, listener);
    } catch (const mqtt::exception& e) {
      std::fprintf(stderr, "%s: connect refused: %s\n", dock.sn.c_str(), e.what());
    }
  }

 private:
  Timer& timer_;
  std::mutex mutex_;
  std::mt19937_64 random_{std::random_device{}()};
};

/// The protocol work of --protocol 1 after each connect: subscriptions, update_topo and its resends.
class ProtocolRunner {
 public:
  ProtocolRunner(Timer& timer, WorkerPool& pool) : timer_(timer), pool_(pool) {}

  /// Called on Paho's callback thread once `dock` is connected: one SUBSCRIBE, then update_topo right away (the
  /// SDK does not wait for the SUBACK either; the broker handles them in order).
  void on_connected(RawDock& dock) {
    dock.topology_acknowledged = false;
    const int epoch = ++dock.epoch;
    const auto filters = DockProtocol::filters(dock.sn);
    try {
      dock.client->subscribe(mqtt::string_collection::create(filters),
                             mqtt::iasync_client::qos_collection(filters.size(), 1));
    } catch (const mqtt::exception&) {
      ++refused;
    }
    send_topology(dock);
    schedule_resend(dock, epoch, kFirstResendMs);
  }

  /// The status_reply of `dock` arrived.
  void on_reply(RawDock& dock) {
    if (!dock.topology_acknowledged.exchange(true)) ++acknowledged;
  }

  std::atomic<std::uint64_t> acknowledged{0}, resends{0}, refused{0};

 private:
  static constexpr std::int64_t kFirstResendMs = 3000;  // the SDK's reply timeout
  static constexpr std::int64_t kMaxResendMs = 60000;   // and its topology resend ceiling

  void send_topology(RawDock& dock) {
    try {
      dock.client->publish(DockProtocol::update_topo(dock.sn, ++tid_));
    } catch (const mqtt::exception&) {
      ++refused;
    }
  }

  // The timer reschedules the resend itself, so the pool never touches the timer (which is destroyed first).
  void schedule_resend(RawDock& dock, int epoch, std::int64_t wait_ms) {
    RawDock* target = &dock;
    timer_.add(now_ms() + wait_ms, [this, target, epoch, wait_ms]() mutable {
      if (target->epoch != epoch || target->topology_acknowledged || !target->online) return std::int64_t{-1};
      pool_.post([this, target, epoch] {
        if (target->epoch != epoch || target->topology_acknowledged) return;
        ++resends;
        send_topology(*target);
      });
      wait_ms = std::min(wait_ms * 2, kMaxResendMs);
      return now_ms() + wait_ms;
    });
  }

  Timer& timer_;
  WorkerPool& pool_;
  std::atomic<std::uint64_t> tid_{0};
};

/// Connect outcome of one dock: fleet bookkeeping, then a retry on failure.
class ConnectListener : public mqtt::iaction_listener {
 public:
  ConnectListener(RawDock& dock, FleetState& fleet, Reconnector& reconnector, ProtocolRunner* protocol)
      : dock_(dock), fleet_(fleet), reconnector_(reconnector), protocol_(protocol) {}

  /// The connection was lost: bookkeeping and a reconnect, as the SDK does.
  void lost(const std::string& cause) {
    dock_.online = false;
    fleet_.on_failed(dock_.was_connected, "connection lost: " + cause);
    reconnector_.retry(dock_, *this);
  }

 private:
  void on_success(const mqtt::token&) override {
    dock_.failures_in_row = 0;
    dock_.online = true;
    if (protocol_ != nullptr) protocol_->on_connected(dock_);
    fleet_.on_connected(dock_.was_connected);
  }
  void on_failure(const mqtt::token& token) override {
    fleet_.on_failed(dock_.was_connected, "connect failed: Paho rc " + std::to_string(token.get_return_code()));
    reconnector_.retry(dock_, *this);
  }

  RawDock& dock_;
  FleetState& fleet_;
  Reconnector& reconnector_;
  ProtocolRunner* protocol_;  // null without --protocol
};

/// The port of a tcp://host:port URI, 0 when there is none.
std::uint16_t uri_port(const std::string& uri) {
  const auto colon = uri.rfind(':');
  return colon == std::string::npos ? 0 : static_cast<std::uint16_t>(std::atoi(uri.c_str() + colon + 1));
}

}  // namespace

int main(int argc, char** argv) {
  FleetSettings settings;
  int workers = 2;  // the SDK's default dispatcher count (config_defaults.hpp)
  bool protocol = false;
  const bool parsed = parse_fleet_settings(argc, argv, settings, [&](const std::string& key, const std::string& value) {
    if (key == "--protocol") {
      protocol = value == "1";
      return true;
    }
    if (key != "--workers") return false;
    workers = std::atoi(value.c_str());
    return workers > 0;
  });
  if (!parsed) {
    std::fprintf(
        stderr,
        "usage: bench_fleet_raw --broker URI --docks N [--osd-period-ms MS] [--duration-s S] "
        "[--broker-pid PID] [--tcp-nodelay 0|1] [--connect-timeout-s S] [--workers N] [--out FILE] [--protocol 0|1]\n");
    return 2;
  }
  JitterLog jitter;
  FleetState fleet;
  std::atomic<std::uint64_t> published{0}, refused{0}, offline_skipped{0};
  auto timer = std::make_unique<Timer>();
  auto pool = std::make_unique<WorkerPool>(workers);
  Reconnector reconnector(*timer);
  ProtocolRunner protocol_runner(*timer, *pool);
  ProtocolRunner* protocol_work = protocol ? &protocol_runner : nullptr;
  std::vector<std::unique_ptr<RawDock>> docks;
  std::vector<std::unique_ptr<ConnectListener>> listeners;
  std::vector<std::unique_ptr<RawSource>> sources;
  docks.reserve(static_cast<std::size_t>(settings.docks));
  for (int i = 0; i < settings.docks; ++i) {
    auto dock = std::make_unique<RawDock>();
    dock->sn = fleet_dock_sn(i);
    try {
      dock->client = std::make_unique<mqtt::async_client>(settings.broker, dock->sn,
                                                          mqtt::create_options(MQTTVERSION_3_1_1), nullptr);
    } catch (const mqtt::exception& e) {
      std::fprintf(stderr, "client %d: %s\n", i, e.what());
      return 1;
    }
    dock->options = mqtt::connect_options_builder()
                        .mqtt_version(MQTTVERSION_3_1_1)
                        .clean_session(true)
                        .keep_alive_interval(std::chrono::seconds(60))
                        .automatic_reconnect(false)
                        .finalize();
    auto listener = std::make_unique<ConnectListener>(*dock, fleet, reconnector, protocol_work);
    ConnectListener* on_lost = listener.get();
    dock->client->set_connection_lost_handler([on_lost](const std::string& cause) { on_lost->lost(cause); });
    if (protocol_work != nullptr) {
      RawDock* replied = dock.get();
      dock->client->set_message_callback([protocol_work, replied](mqtt::const_message_ptr message) {
        const std::string& topic = message->get_topic();
        if (topic.size() > 13 && topic.compare(topic.size() - 13, 13, "/status_reply") == 0)
          protocol_work->on_reply(*replied);
      });
    }
    for (const bool aircraft : {false, true}) {
      auto source = std::make_unique<RawSource>();
      source->dock = dock.get();
      const std::string device_sn = aircraft ? dock->sn + "A" : dock->sn;
      source->message = mqtt::make_message("thing/product/" + device_sn + "/osd",
                                           envelope(dock->sn, aircraft ? kAircraftOsd : kDockOsd), 0, false);
      source->schedule.period_ms = settings.period_ms;
      source->schedule.log = &jitter;
      sources.push_back(std::move(source));
    }
    listeners.push_back(std::move(listener));
    docks.push_back(std::move(dock));
  }

  // Sources are scheduled before the connects start, at a random phase within the first period, as
  // Client::set_osd_source does; a due source whose dock is offline is skipped (the SDK would queue it offline).
  const std::int64_t start_ms = now_ms();
  std::mt19937_64 random(std::random_device{}());
  for (auto& owned : sources) {
    RawSource* source = owned.get();
    WorkerPool* workers_pool = pool.get();
    auto due = std::make_shared<std::int64_t>(
        now_ms() + 1 + std::uniform_int_distribution<std::int64_t>(0, settings.period_ms - 1)(random));
    timer->add(*due, [source, workers_pool, due, &published, &refused, &offline_skipped] {
      workers_pool->post([source, &published, &refused, &offline_skipped] {
        source->schedule.mark_due();
        if (!source->dock->online.load(std::memory_order_relaxed)) {
          offline_skipped.fetch_add(1, std::memory_order_relaxed);
          return;
        }
        try {
          source->dock->client->publish(source->message);
          published.fetch_add(1, std::memory_order_relaxed);
        } catch (const mqtt::exception&) {
          refused.fetch_add(1, std::memory_order_relaxed);
        }
      });
      // Next deadline from the previous one so the period does not drift; far behind: skip, do not burst.
      *due += source->schedule.period_ms;
      if (*due <= now_ms()) *due = now_ms() + source->schedule.period_ms;
      return *due;
    });
  }
  for (std::size_t i = 0; i < docks.size(); ++i) Reconnector::connect(*docks[i], *listeners[i]);
  const std::int64_t started_ms = now_ms();
  FleetRow row;
  row.docks = settings.docks;
  row.all_connected = fleet.wait_all_connected(settings.docks, std::chrono::seconds(settings.connect_timeout_s));
  const std::int64_t connected_ms = now_ms();
  if (protocol) {
    const auto acknowledged = [&protocol_runner] {
      return static_cast<std::int64_t>(protocol_runner.acknowledged.load());
    };
    row.ready_s =
        wait_all_ready(settings.docks, acknowledged, start_ms, started_ms + settings.connect_timeout_s * 1000);
  }
  // Paho C has no TCP_NODELAY option; the SDK sets it per connect, here one scan covers the whole fleet.
  const int nodelay_sockets =
      settings.tcp_nodelay ? docklink::ports::paho::set_tcp_nodelay_to_peer_port(uri_port(settings.broker)) : 0;

  // Steady window: skip one period so the connect burst is not measured.
  std::this_thread::sleep_for(std::chrono::milliseconds(settings.period_ms));
  const std::uint64_t published_before = published.load();
  SteadyWindow window(settings.broker_pid);
  window.begin(jitter);
  std::this_thread::sleep_for(std::chrono::seconds(settings.duration_s));
  window.end(jitter);
  const std::uint64_t published_after = published.load();
  std::vector<const OsdSchedule*> schedules;
  for (const auto& source : sources) schedules.push_back(&source->schedule);
  const std::string reasons =
      measure_row(row, settings, window, published_after - published_before, jitter, schedules, fleet, start_ms);
  emit_row(row, settings.out);
  std::fprintf(stderr,
               "raw fleet %d: %d workers, connect wait %.2f s, window %.1f s, %zu jitter samples, TCP_NODELAY on %d "
               "sockets, publishes refused %llu, skipped offline %llu, protocol %s: topology acknowledged %llu, "
               "resent %llu, refused %llu\n",
               settings.docks, workers, static_cast<double>(connected_ms - started_ms) / 1000.0, window.seconds(),
               row.late_ms.size(), nodelay_sockets, static_cast<unsigned long long>(refused.load()),
               static_cast<unsigned long long>(offline_skipped.load()), protocol ? "on" : "off",
               static_cast<unsigned long long>(protocol_runner.acknowledged.load()),
               static_cast<unsigned long long>(protocol_runner.resends.load()),
               static_cast<unsigned long long>(protocol_runner.refused.load()));
  if (!reasons.empty()) std::fprintf(stderr, "raw fleet %d connect failures: %s\n", settings.docks, reasons.c_str());
  // Written by the teardown thread, read here only after shut_down_fleet() saw it finish.
  int failed_disconnects = 0;
  std::string first_failure;
  const int exit_code = row.all_connected ? 0 : 1;
  shut_down_fleet(
      "raw fleet " + std::to_string(settings.docks),
      [&] {
        timer.reset();  // no more posts
        pool.reset();   // no publish in flight
        std::vector<mqtt::token_ptr> disconnects;
        for (auto& dock : docks) {
          dock->client->set_connection_lost_handler(nullptr);
          try {
            if (dock->client->is_connected()) disconnects.push_back(dock->client->disconnect());
          } catch (const mqtt::exception&) {
          }
        }
        // A failed disconnect is counted and reported; the remaining ones are still waited for.
        for (auto& token : disconnects) {
          const std::string failed = wait_disconnected(token, std::chrono::seconds(5));
          if (!failed.empty() && ++failed_disconnects == 1) first_failure = failed;
        }
        docks.clear();
      },
      exit_code);
  if (failed_disconnects > 0) {
    std::fprintf(stderr, "raw fleet %d: %d disconnects failed (first: %s)\n", settings.docks, failed_disconnects,
                 first_failure.c_str());
  }
  return exit_code;
}
