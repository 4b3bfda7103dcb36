// libFuzzer target for a whole client's inbound path: a Dock 2 client (with an M3TD) on the loopback transport,
// validating against the real thing models (3-2-0, 0-91-1), with a handler for every service of the model
// (jobs report progress and finish), a setter for every writable property and its struct fields (dotted paths),
// and a DRC handler. Each input is one or more cloud messages "<topic>\n<payload>" separated by "\n--\n"; the
// text @tid@ in a payload is replaced by the tid of an event the client is waiting a reply for, so events_reply
// can match. Checks: nothing crashes or hangs, and every message the client publishes is a well-formed envelope
// without duplicate member names.
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/client.hpp"
#include "docklink/envelope.hpp"
#include "docklink/ports/loopback.hpp"
#include "docklink/thing/model_validator.hpp"
#include "docklink/thing/thing_model.hpp"

namespace {

using namespace docklink;

constexpr std::string_view kDockSn = "FUZZDOCK01";
constexpr std::string_view kAircraftSn = "FUZZUAV01";
constexpr std::string_view kMessageSeparator = "\n--\n";
constexpr std::string_view kTidPlaceholder = "@tid@";
constexpr std::string_view kSyncTidPrefix = "fuzz-sync-";

/// Stops the run with `what` when a check fails; libFuzzer then reports the input that got here.
void require(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz_client: check failed: %s\n", what);
  std::abort();
}

class MonotonicClock final : public port::Clock {
 public:
  std::int64_t monotonic_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  std::int64_t wall_ms() const override { return 1700000000000 + monotonic_ms(); }
};

/// Deterministic (xorshift): the fuzzer needs no entropy, and repeated runs of an input behave alike.
class XorshiftRandom final : public port::Random {
 public:
  Status fill(std::uint8_t* out, std::size_t size) override {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < size; ++i) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      out[i] = static_cast<std::uint8_t>(state_);
    }
    return Status::ok();
  }

 private:
  std::mutex mutex_;
  std::uint64_t state_ = 0x9e3779b97f4a7c15ULL;
};

/// Formats every level (the messages are code under test too) and discards the text.
class DiscardingLog final : public port::Log {
 public:
  bool enabled(port::LogLevel) const override { return true; }
  void write(port::LogLevel, std::string_view, std::string_view) override {}
};

/// True when an object somewhere in `value` has two members of the same name: the cloud's JSON readers keep one
/// of them, so an uplink must never carry both (e.g. one set_reply entry per property, however often it was sent).
bool has_duplicate_keys(const rapidjson::Value& value) {
  if (value.IsArray()) {
    for (const auto& element : value.GetArray()) {
      if (has_duplicate_keys(element)) return true;
    }
    return false;
  }
  if (!value.IsObject()) return false;
  std::set<std::string_view> names;
  for (const auto& member : value.GetObject()) {
    if (!names.emplace(member.name.GetString(), member.name.GetStringLength()).second) return true;
    if (has_duplicate_keys(member.value)) return true;
  }
  return false;
}

/// Waits for the sentinel service call that follows each input through the client's strands.
class SyncPoint {
 public:
  void reached(std::string_view tid) {
    std::lock_guard<std::mutex> lock(mutex_);
    last_ = std::string(tid);
    changed_.notify_all();
  }
  void wait(const std::string& tid) {
    std::unique_lock<std::mutex> lock(mutex_);
    // Far beyond any input's work: reaching it means the client hung, which is a finding.
    require(changed_.wait_for(lock, std::chrono::seconds(20), [&] { return last_ == tid; }),
            "the client did not handle the input within 20 s (hang)");
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string last_;
};

/// The tid of the event the client is currently waiting a reply for (one at a time).
class PendingEvent {
 public:
  void sent(std::string tid) {
    std::lock_guard<std::mutex> lock(mutex_);
    tid_ = std::move(tid);
    changed_.notify_all();
  }
  void answered() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = false;
    tid_.clear();
  }
  /// True when a new event must be published (none open); marks it open.
  bool open_if_closed() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (open_) return false;
    open_ = true;
    return true;
  }
  std::string wait_tid() {
    std::unique_lock<std::mutex> lock(mutex_);
    require(changed_.wait_for(lock, std::chrono::seconds(20), [&] { return !tid_.empty() || !open_; }),
            "the event with need_reply was not published within 20 s");
    return tid_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string tid_;
  bool open_ = false;
};

std::shared_ptr<const thing::ThingModel> embedded_model(std::string_view key) {
  auto loaded = thing::load_embedded(key);
  require(loaded.is_ok(), "embedded thing model missing");
  return std::make_shared<const thing::ThingModel>(std::move(loaded).value());
}

ClientOptions fuzz_options(const InboundValidator* validator) {
  ClientOptions options;
  options.gateway.sn = std::string(kDockSn);
  options.gateway.domain = "3";
  options.gateway.type = 2;
  options.gateway.thing_version = "1.2.0";
  DeviceInfo aircraft;
  aircraft.sn = std::string(kAircraftSn);
  aircraft.domain = "0";
  aircraft.type = 91;
  aircraft.sub_type = 1;
  options.sub_devices.push_back(aircraft);
  options.reply_timeout_ms = 60000;  // the @tid@ event stays pending until an input answers it
  options.max_retries = 0;
  options.job_events_need_reply = false;  // progress events would pile up pending replies at fuzzing speed
  options.validator = validator;
  return options;
}

/// A setter that looks at the value and fails some, so both reply paths run.
std::int32_t fuzz_setter(const rapidjson::Value& value) {
  if (value.IsNull() || (value.IsInt() && value.GetInt() == 13)) return 1;
  return 0;
}

/// The client and everything it runs on, built once per process.
struct Harness {
  MonotonicClock clock;
  XorshiftRandom random;
  DiscardingLog log;
  ports::LoopbackBroker broker;
  Runtime runtime{clock, RuntimeOptions{1, defaults::kInboundQueueCapacity}};
  std::shared_ptr<const thing::ThingModel> dock_model = embedded_model("3-2-0");
  std::shared_ptr<const thing::ThingModel> aircraft_model = embedded_model("0-91-1");
  thing::ModelInboundValidator validator{dock_model, aircraft_model};
  ports::LoopbackTransport transport{broker, std::string(kDockSn)};
  std::unique_ptr<Client> client;
  SyncPoint sync;
  PendingEvent pending;
  std::string sync_method;
  std::uint64_t sync_count = 0;

  Harness() {
    broker.subscribe("thing/product/" + std::string(kDockSn) + "/events",
                     [this](const std::string&, const std::string& payload) {
                       InboundEnvelope envelope;
                       if (decode_envelope(payload, EnvelopeLimits{}, envelope) && envelope.method() == "hms") {
                         pending.sent(std::string(envelope.tid()));
                       }
                     });
    auto created =
        Client::create(fuzz_options(&validator), port::Platform{&clock, &random, &log, nullptr}, transport, runtime);
    require(created.is_ok(), "Client::create failed");
    client = std::move(created).value();
    register_handlers();
    SyncPoint connected;
    client->on_connection_changed([&connected](bool up, const Status&) {
      if (up) connected.reached("connected");
    });
    require(client->start().is_ok(), "Client::start failed");
    connected.wait("connected");  // subscriptions are in force: inputs reach the client
    client->on_connection_changed({});
  }

  void register_handlers() {
    for (const auto& [method, service] : dock_model->services()) {
      if (sync_method.empty() && !service.has_params && !service.is_job) sync_method = method;
      client->on_service(method, [this, &service = service](ServiceCall& call) { return handle(service, call); });
    }
    require(!sync_method.empty(), "the dock model has no service without parameters");
    for (const auto* model : {dock_model.get(), aircraft_model.get()}) {
      for (const auto& [name, property] : model->properties()) {
        if (property.access != thing::Access::kReadWrite) continue;
        client->on_property_set(name, fuzz_setter);
        for (const auto& field : property.type.fields) client->on_property_set(name + "." + field.name, fuzz_setter);
      }
    }
    client->on_drc([](const DrcMessage& message) {
      require(message.data.IsObject() || message.data.IsArray(), "DRC data neither object nor array");
    });
  }

  ServiceReply handle(const thing::ServiceDef& service, ServiceCall& call) {
    if (call.tid().substr(0, kSyncTidPrefix.size()) == kSyncTidPrefix) {
      sync.reached(call.tid());
      return ServiceReply::ok();
    }
    require(call.data().IsObject(), "service data is not an object");
    if (service.is_job) {
      Job job = call.start_job();
      if (!service.step_keys.empty()) job.progress(50, service.step_keys.front());
      job.finish(call.data().MemberCount() % 2 == 0 ? JobStatus::kOk : JobStatus::kFailed);
      return ServiceReply::ok();
    }
    return call.data().MemberCount() % 3 == 2 ? ServiceReply::error(314000) : ServiceReply::ok(R"({"fuzz":1})");
  }

  /// The tid of an event waiting for its reply, publishing one when none is.
  std::string pending_tid() {
    if (pending.open_if_closed()) {
      EventOptions options;
      options.need_reply = true;
      Status sent =
          client->publish_event("hms", R"({"list":[]})", options, [this](const Reply&) { pending.answered(); });
      if (!sent) pending.answered();
    }
    return pending.wait_tid();
  }

  /// Runs one cloud message through the client and waits until the client handled it.
  void deliver(std::string_view topic, std::string_view payload) {
    std::string text(payload);
    for (std::size_t at = text.find(kTidPlaceholder); at != std::string::npos; at = text.find(kTidPlaceholder, at)) {
      std::string tid = pending_tid();
      text.replace(at, kTidPlaceholder.size(), tid);
      at += tid.size();
    }
    broker.publish(topic, text);
  }

  /// Pushes a sentinel service call through and waits for it: the client's strands ran everything before it.
  void settle() {
    std::string tid = std::string(kSyncTidPrefix) + std::to_string(++sync_count);
    broker.publish(
        "thing/product/" + std::string(kDockSn) + "/services",
        R"({"tid":")" + tid + R"(","bid":"sync","timestamp":1,"method":")" + sync_method + R"(","data":{}})");
    sync.wait(tid);
  }

  /// Every message the client published must decode as an envelope.
  void check_uplinks() {
    EnvelopeLimits unlimited;
    unlimited.max_payload_bytes = 16 * 1024 * 1024;
    unlimited.max_depth = 64;
    for (const auto& publish : broker.published()) {
      if (publish.sender != kDockSn) continue;
      InboundEnvelope envelope;
      require(decode_envelope(publish.payload, unlimited, envelope).is_ok(),
              "the client published a malformed envelope");
      require(!has_duplicate_keys(envelope.data()), "the client published data with a duplicate key");
    }
    broker.clear_published();
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Harness* harness = new Harness();  // lives for the process: its threads end with it
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (int messages = 0; messages < 8 && !input.empty(); ++messages) {
    std::size_t end = input.find(kMessageSeparator);
    std::string_view message = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + kMessageSeparator.size());
    std::size_t newline = message.find('\n');
    if (newline == std::string_view::npos) continue;
    harness->deliver(message.substr(0, newline), message.substr(newline + 1));
  }
  harness->settle();
  harness->check_uplinks();
  return 0;
}
