// Envelope codec benchmark: ns and heap allocations per message for encode and decode of a ~1 KiB aircraft OSD
// and a small service call, next to plain RapidJSON (fresh Document parse + Writer serialise of the same bytes);
// then the whole steady OSD publish path, Client::publish_osd on a connected client, against encode alone.
// Prints markdown tables. Allocations are counted per thread (only the measuring thread's count) by replacing
// global operator new/delete here and, on glibc builds without AddressSanitizer, malloc/calloc/realloc too
// (RapidJSON allocates with std::malloc).
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "docklink/client.hpp"
#include "docklink/envelope.hpp"
#include "docklink/ports/linux_platform.hpp"
#include "wait_connected.hpp"

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define DOCKLINK_BENCH_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define DOCKLINK_BENCH_SANITIZED 1
#endif
#if defined(__GLIBC__) && !defined(DOCKLINK_BENCH_SANITIZED)
#define DOCKLINK_BENCH_COUNT_MALLOC 1
#else
#define DOCKLINK_BENCH_COUNT_MALLOC 0
#endif

namespace {
// Per thread: the client's own threads (timers, strands) allocate as they please; the publishing thread is
// what is measured.
thread_local std::uint64_t g_allocations = 0;
}  // namespace

#if DOCKLINK_BENCH_COUNT_MALLOC
// glibc documents replacing malloc this way; its own entry points stay reachable under these names.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void __libc_free(void* pointer);

void* malloc(std::size_t size) {
  ++g_allocations;
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) {
  ++g_allocations;
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) {
  ++g_allocations;
  return __libc_realloc(pointer, size);
}
void free(void* pointer) { __libc_free(pointer); }
}
#endif

void* operator new(std::size_t size) {
  // With malloc replaced above, the allocation is counted there instead.
  if (!DOCKLINK_BENCH_COUNT_MALLOC) ++g_allocations;
  void* pointer = std::malloc(size == 0 ? 1 : size);
  if (pointer == nullptr) throw std::bad_alloc();
  return pointer;
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (!DOCKLINK_BENCH_COUNT_MALLOC) ++g_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* pointer) noexcept { std::free(pointer); }
void operator delete[](void* pointer) noexcept { std::free(pointer); }
void operator delete(void* pointer, std::size_t) noexcept { std::free(pointer); }
void operator delete[](void* pointer, std::size_t) noexcept { std::free(pointer); }
void operator delete(void* pointer, const std::nothrow_t&) noexcept { std::free(pointer); }
void operator delete[](void* pointer, const std::nothrow_t&) noexcept { std::free(pointer); }

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRepetitions = 7;
std::uint64_t g_sink = 0;  // results fold into this so the optimiser keeps the work

struct Measurement {
  double ns_per_message;
  double allocations_per_message;
};

/// Runs `body` `iterations` times per repetition after a warm-up; reports the best repetition's time (least
/// disturbed by the machine) and the allocations of the steady state.
Measurement measure(int iterations, const std::function<void()>& body) {
  for (int i = 0; i < iterations / 10 + 1; ++i) body();  // warm-up: buffers reach their steady size
  double best_ns = 1e300;
  std::uint64_t allocations = 0;
  for (int repetition = 0; repetition < kRepetitions; ++repetition) {
    std::uint64_t before = g_allocations;
    auto start = Clock::now();
    for (int i = 0; i < iterations; ++i) body();
    auto elapsed = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    allocations = g_allocations - before;
    best_ns = std::min(best_ns, elapsed / iterations);
  }
  return {best_ns, static_cast<double>(allocations) / iterations};
}

/// A realistic aircraft OSD body (docs/protocol.md#aircraft-properties keys, values from a hovering M3D).
std::string aircraft_osd_data() {
  return R"({"52-0-0":{"payload_index":"52-0-0","gimbal_pitch":-30.5,"gimbal_roll":0,"gimbal_yaw":41.7,)"
         R"("zoom_factor":2.0,"measure_target_distance":591.7,"measure_target_error_state":1,"version":1},)"
         R"("mode_code":5,"gear":1,"latitude":22.5795012,"longitude":113.9379204,"height":138.4,"elevation":100.2,)"
         R"("attitude_head":41.7,"attitude_pitch":2.7,"attitude_roll":-0.4,"horizontal_speed":8.3,)"
         R"("vertical_speed":0.1,"home_distance":412.9,"wind_speed":32,"wind_direction":3,)"
         R"("battery":{"capacity_percent":78,"remain_flight_time":1520,"return_home_power":22,"landing_power":8,)"
         R"("batteries":[{"index":0,"capacity_percent":78,"voltage":24303,"temperature":33.3,"sn":"4BUPJ9G0010A3K",)"
         R"("loop_times":137}]},"position_state":{"gps_number":23,"is_fixed":2,"quality":10,"rtk_number":31},)"
         R"("storage":{"total":62000000,"used":18500000},"height_limit":120,)"
         R"("distance_limit_status":{"state":1,"distance_limit":5000},)"
         R"("obstacle_avoidance":{"horizon":1,"upside":1,"downside":1},"night_lights_state":0,)"
         R"("total_flight_distance":2301456.2,"total_flight_time":902310,"total_flight_sorties":412})";
}

struct Row {
  const char* message;
  const char* operation;
  std::size_t bytes;
  Measurement result;
};

void print_row(const Row& row) {
  std::printf("| %s | %s | %zu | %.0f | %.2f |\n", row.message, row.operation, row.bytes, row.result.ns_per_message,
              row.result.allocations_per_message);
}

/// Measures encode, decode and the RapidJSON baseline for one message; prints its rows and returns
/// encode+decode and baseline ns.
std::pair<Row, Row> bench_message(const char* name, const docklink::OutboundEnvelope& outbound, int iterations) {
  std::string encoded;
  docklink::encode_envelope(outbound, encoded);
  const std::string bytes = encoded;  // the decode and baseline input

  Row encode{name, "DockLink encode", bytes.size(), measure(iterations, [&] {
               docklink::encode_envelope(outbound, encoded);
               g_sink += encoded.size();
             })};
  docklink::InboundEnvelope inbound;
  docklink::EnvelopeLimits limits;
  Row decode{name, "DockLink decode", bytes.size(), measure(iterations, [&] {
               docklink::Status status = docklink::decode_envelope(bytes, limits, inbound);
               g_sink += status.is_ok() ? inbound.tid().size() : 1000000;
             })};
  // What a caller pays when it decodes every message into a new envelope instead of reusing one.
  Row decode_fresh{name, "DockLink decode, fresh envelope", bytes.size(), measure(iterations, [&] {
                     docklink::InboundEnvelope fresh;
                     docklink::Status status = docklink::decode_envelope(bytes, limits, fresh);
                     g_sink += status.is_ok() ? fresh.tid().size() : 1000000;
                   })};
  Row parse{name, "RapidJSON Document parse", bytes.size(), measure(iterations, [&] {
              rapidjson::Document document;
              document.Parse(bytes.data(), bytes.size());
              g_sink += document.HasParseError() ? 1000000 : document.MemberCount();
            })};
  rapidjson::Document parsed;
  parsed.Parse(bytes.data(), bytes.size());
  Row serialise{name, "RapidJSON Writer serialise", bytes.size(), measure(iterations, [&] {
                  rapidjson::StringBuffer buffer;
                  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
                  parsed.Accept(writer);
                  g_sink += buffer.GetSize();
                })};
  for (const Row* row : {&encode, &decode, &decode_fresh, &parse, &serialise}) print_row(*row);
  Row ours{name,
           "DockLink encode + decode",
           bytes.size(),
           {encode.result.ns_per_message + decode.result.ns_per_message,
            encode.result.allocations_per_message + decode.result.allocations_per_message}};
  Row baseline{name,
               "RapidJSON parse + serialise",
               bytes.size(),
               {parse.result.ns_per_message + serialise.result.ns_per_message,
                parse.result.allocations_per_message + serialise.result.allocations_per_message}};
  print_row(ours);
  print_row(baseline);
  return {ours, baseline};
}

/// A transport that is always connected and drops what it is given: what remains is DockLink's own cost.
class NullTransport : public docklink::port::Transport {
 public:
  void set_listener(docklink::port::TransportListener* listener) override { listener_ = listener; }
  docklink::Status connect() override {
    if (listener_ != nullptr) listener_->on_connection_changed(true, docklink::Status::ok(), false);
    return docklink::Status::ok();
  }
  void disconnect(std::chrono::milliseconds) override {
    if (listener_ != nullptr) {
      listener_->on_connection_changed(false, docklink::Status(docklink::StatusCode::kShutdown, "disconnected"), false);
    }
  }
  bool is_connected() const override { return true; }
  docklink::Status publish(std::string_view, std::string_view payload, docklink::port::Qos qos,
                           docklink::port::PublishId id) override {
    g_sink += payload.size();
    if (qos != docklink::port::Qos::kAtMostOnce && listener_ != nullptr) {
      listener_->on_publish_done(id, docklink::Status::ok());
    }
    return docklink::Status::ok();
  }
  docklink::Status subscribe(std::string_view, docklink::port::Qos) override { return docklink::Status::ok(); }
  docklink::Status unsubscribe(std::string_view) override { return docklink::Status::ok(); }

 private:
  docklink::port::TransportListener* listener_ = nullptr;
};

/// Client::publish_osd on a connected client (QoS 0 telemetry), next to encoding the same envelope alone.
bool bench_publish_path(const std::string& osd_data, const docklink::OutboundEnvelope& osd) {
  docklink::ports::LinuxPlatformOptions platform_options;
  platform_options.log_level = docklink::port::LogLevel::kWarn;
  auto os = docklink::ports::LinuxPlatform::create(platform_options).value();
  docklink::Runtime runtime(os->clock());
  NullTransport transport;
  docklink::ClientOptions options;
  options.gateway = {"1581F5BKD225D00BJ8T4", "3", 2, 0, "", "1.2.0", "", ""};
  auto client = docklink::Client::create(options, os->platform(), transport, runtime).value();
  if (!docklink::bench::start_and_wait_connected(*client, std::chrono::seconds(10))) {
    std::printf("\n_publish path: the client did not come up._\n");
    return false;
  }
  std::string encoded;
  Row encode{"aircraft OSD", "encode_envelope alone (baseline)", osd_data.size(), measure(100000, [&] {
               docklink::encode_envelope(osd, encoded);
               g_sink += encoded.size();
             })};
  Row publish{"aircraft OSD", "Client::publish_osd, online, QoS 0", osd_data.size(), measure(100000, [&] {
                docklink::Status status = client->publish_osd(options.gateway.sn, osd_data);
                g_sink += status.is_ok() ? 1u : 1000000u;
              })};
  static_cast<void>(client->stop());  // the measurement is done; a failed stop changes none of it
  std::printf("\n### Steady OSD publish path (Client::publish_osd on a connected client, transport that drops)\n\n");
  std::printf("Ids, timestamp, envelope and topic included; the MQTT engine's own copy is not (the transport is a\n");
  std::printf("no-op). Allocations are those of the publishing thread.\n\n");
  std::printf("| message | operation | data bytes | ns/msg | allocs/msg |\n|---|---|---|---|---|\n");
  print_row(encode);
  print_row(publish);
  const bool zero = publish.result.allocations_per_message == 0.0;
  std::printf(
      "\nTarget: zero heap allocations per message on the steady OSD publish path: %.2f (%s); publish_osd "
      "costs %.2fx encode alone.\n",
      publish.result.allocations_per_message, zero ? "met" : "MISSED",
      publish.result.ns_per_message / encode.result.ns_per_message);
  return zero;
}

}  // namespace

int main() {
  const std::string osd_data = aircraft_osd_data();
  docklink::OutboundEnvelope osd;
  osd.tid = "6a7bfe89-c386-4043-b600-b518e10096cc";
  osd.bid = "42a19f36-5117-4520-bd13-fd61d818d52e";
  osd.timestamp = 1670422793916;
  osd.gateway = "1581F5BKD225D00BJ8T4";
  osd.data_json = osd_data;

  docklink::OutboundEnvelope cover_open;
  cover_open.tid = "0b5c9a36-0fd0-4d5c-8a2e-3a4b2c1d0e9f";
  cover_open.bid = "9f1e2d3c-4b5a-4697-8877-665544332211";
  cover_open.timestamp = 1654070968655;
  cover_open.method = "cover_open";
  cover_open.data_json = "{}";

  std::printf("Allocation counting: operator new%s\n\n",
              DOCKLINK_BENCH_COUNT_MALLOC ? " + malloc/calloc/realloc" : " only (malloc not interposed)");
  std::printf("| message | operation | bytes | ns/msg | allocs/msg |\n|---|---|---|---|---|\n");
  auto osd_rows = bench_message("aircraft OSD", osd, 100000);
  auto service_rows = bench_message("service cover_open", cover_open, 300000);

  std::printf("\n| message | DockLink / RapidJSON time ratio |\n|---|---|\n");
  for (const auto* rows : {&osd_rows, &service_rows}) {
    std::printf("| %s | %.2f |\n", rows->first.message,
                rows->first.result.ns_per_message / rows->second.result.ns_per_message);
  }
  bool time_ok = osd_rows.first.result.ns_per_message <= 3000.0;
  std::printf("\nTarget: OSD encode+decode <= 3000 ns: %.0f ns (%s).\n", osd_rows.first.result.ns_per_message,
              time_ok ? "met" : "MISSED");
  bench_publish_path(osd_data, osd);
  std::printf("(sink %llu)\n", static_cast<unsigned long long>(g_sink % 10));
  return 0;
}
