// call, set, watch and serve.
#include "commands.hpp"

#include <unistd.h>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>

#include "json_read.hpp"
#include "json_write.hpp"

namespace docklink::cloud {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds seconds_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

/// One progress event of the followed job.
struct Progress {
  std::string method;
  std::string status;
  std::int64_t result = 0;
  std::int64_t percent = -1;
  std::string step_key;
  std::int64_t current_step = -1;
};

bool is_terminal(const std::string& status) {
  return status == "ok" || status == "failed" || status == "rejected" || status == "canceled" || status == "timeout" ||
         status == "partially_done";
}

Progress read_progress(const InboundEnvelope& envelope) {
  Progress progress;
  progress.method = std::string(envelope.method());
  const rapidjson::Value& data = envelope.data();
  progress.result = samples::read_int(data, "result", 0);
  const rapidjson::Value* output = samples::member(data, "output");
  if (output == nullptr) return progress;
  progress.status = samples::read_string(*output, "status");
  const rapidjson::Value* step = samples::member(*output, "progress");
  if (step != nullptr) {
    progress.percent = samples::read_int(*step, "percent", -1);
    progress.step_key = samples::read_string(*step, "step_key");
    progress.current_step = samples::read_int(*step, "current_step", -1);
    if (progress.step_key.empty()) progress.step_key = samples::read_string(*step, "current_step");  // OTA
  }
  return progress;
}

void print_progress(const Progress& progress, const ConsoleOptions& options, bool tty) {
  if (options.json) {
    samples::JsonBuilder line;
    line.str("type", "progress").str("method", progress.method).str("status", progress.status);
    line.num("result", progress.result).num("percent", progress.percent);
    if (!progress.step_key.empty()) line.str("step_key", progress.step_key);
    if (progress.current_step >= 0) line.num("current_step", progress.current_step);
    std::printf("%s\n", line.finish().c_str());
    return;
  }
  std::string detail = progress.step_key;
  if (progress.current_step >= 0) detail = "step " + std::to_string(progress.current_step);
  long long percent = progress.percent < 0 ? 0 : progress.percent;
  if (tty) {
    constexpr int kWidth = 30;
    int filled = static_cast<int>(percent * kWidth / 100);
    std::printf("\r[%s%s] %3lld%% %-12s %-28s", std::string(static_cast<std::size_t>(filled), '#').c_str(),
                std::string(static_cast<std::size_t>(kWidth - filled), '-').c_str(), percent, progress.status.c_str(),
                detail.c_str());
    if (is_terminal(progress.status)) std::printf("\n");
    std::fflush(stdout);
  } else {
    std::printf("progress: %s %lld%% %s result %lld\n", progress.status.c_str(), percent, detail.c_str(),
                static_cast<long long>(progress.result));
  }
}

// Flattens a set_reply body into "a.b" -> result.
void collect_results(const rapidjson::Value& node, const std::string& prefix,
                     std::map<std::string, std::int64_t>& out) {
  if (!node.IsObject()) return;
  const rapidjson::Value* result = samples::member(node, "result");
  if (result != nullptr && result->IsNumber() && !prefix.empty()) {
    out[prefix] = samples::read_int(node, "result", -1);
    return;
  }
  for (auto it = node.MemberBegin(); it != node.MemberEnd(); ++it) {
    std::string key(it->name.GetString(), it->name.GetStringLength());
    collect_results(it->value, prefix.empty() ? key : prefix + "." + key, out);
  }
}

/// Waits on a condition with the stop signal polled every 100 ms; false on timeout or stop.
template <typename Predicate>
bool wait_until(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, Clock::time_point deadline,
                Predicate ready) {
  while (!ready()) {
    if (Clock::now() >= deadline || stop_requested()) return false;
    cv.wait_for(lock, std::chrono::milliseconds(100));
  }
  return true;
}

// Prints a services_reply: a JSON line with --json, else one line for people.
void print_reply(const ConsoleOptions& options, const std::string& sn, const std::string& method, std::int64_t result,
                 const std::string& output_json) {
  if (options.json) {
    samples::JsonBuilder line;
    line.str("type", "reply").str("sn", sn).str("method", method).num("result", result);
    if (!output_json.empty()) line.raw("output", output_json);
    std::printf("%s\n", line.finish().c_str());
  } else {
    std::printf("%s %s: result %lld%s%s\n", sn.c_str(), method.c_str(), static_cast<long long>(result),
                output_json.empty() ? "" : " output ", output_json.c_str());
  }
}

// Prints the progress events of a job as they come until a terminal status; the exit code.
int follow_progress(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, std::deque<Progress>& events,
                    const ConsoleOptions& options, const std::string& sn) {
  bool tty = isatty(STDOUT_FILENO) != 0;
  for (;;) {
    if (!wait_until(lock, cv, Clock::now() + seconds_ms(options.timeout_s), [&] { return !events.empty(); })) {
      if (tty && !options.json) std::printf("\n");
      std::fprintf(stderr, "dock-cloud: no progress from %s for %.1f s\n", sn.c_str(), options.timeout_s);
      return kExitNoAnswer;
    }
    Progress progress = events.front();
    events.pop_front();
    print_progress(progress, options, tty);
    if (is_terminal(progress.status)) {
      return progress.status == "ok" || progress.status == "partially_done" ? kExitOk : kExitRefused;
    }
  }
}

}  // namespace

bool stop_requested() {
  static bool stopped = false;
  if (stopped) return true;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  timespec zero{0, 0};
  stopped = sigtimedwait(&signals, nullptr, &zero) > 0;
  return stopped;
}

int run_call(CloudLink& link, Responder* responder, const ConsoleOptions& options, const std::string& sn,
             const std::string& method, const std::string& data_json) {
  rapidjson::Document request;
  request.Parse(data_json.c_str());
  std::string flight_id = samples::read_string(request, "flight_id");
  bool follow_flight = method == "flighttask_execute" && !flight_id.empty();
  std::string progress_method = follow_flight            ? "flighttask_progress"
                                : method == "ota_create" ? "ota_progress"
                                                         : method;
  std::string tid = link.new_id();
  std::string bid = link.new_id();

  std::mutex mutex;
  std::condition_variable cv;
  bool replied = false;
  std::int64_t result = -1;
  std::string output_json;
  std::string output_status;
  std::deque<Progress> events;
  ScopedUplinkHandler handler(link, [&](const Uplink& uplink) {
    if (responder != nullptr) responder->handle(uplink);
    if (uplink.sn != sn) return;
    const InboundEnvelope& envelope = uplink.envelope;
    if (uplink.kind == TopicKind::kServicesReply && envelope.tid() == tid) {
      std::lock_guard<std::mutex> lock(mutex);
      replied = true;
      result = samples::read_int(envelope.data(), "result", -1);
      const rapidjson::Value* output = samples::member(envelope.data(), "output");
      output_json = output != nullptr ? samples::to_json(*output) : "";
      if (output != nullptr) output_status = samples::read_string(*output, "status");
      cv.notify_all();
      return;
    }
    if (uplink.kind != TopicKind::kEvents || envelope.method() != progress_method) return;
    bool ours = envelope.bid() == bid;
    if (follow_flight) {
      const rapidjson::Value* output = samples::member(envelope.data(), "output");
      const rapidjson::Value* ext = output != nullptr ? samples::member(*output, "ext") : nullptr;
      ours = envelope.bid() == flight_id || (ext != nullptr && samples::read_string(*ext, "flight_id") == flight_id);
    }
    if (!ours) return;
    if (envelope.need_reply() && options.reply_events && responder == nullptr) link.reply(uplink, R"({"result":0})");
    std::lock_guard<std::mutex> lock(mutex);
    events.push_back(read_progress(envelope));
    cv.notify_all();
  });

  link.publish(TopicKind::kServices, sn, method, data_json, tid, bid);
  std::unique_lock<std::mutex> lock(mutex);
  if (!wait_until(lock, cv, Clock::now() + seconds_ms(options.timeout_s), [&] { return replied; })) {
    std::fprintf(stderr, "dock-cloud: no services_reply from %s to %s within %.1f s\n", sn.c_str(), method.c_str(),
                 options.timeout_s);
    return kExitNoAnswer;
  }
  print_reply(options, sn, method, result, output_json);
  if (result != 0) return kExitRefused;
  bool job = output_status == "in_progress" || follow_flight || method == "ota_create";
  if (!options.follow || !job) return kExitOk;

  return follow_progress(lock, cv, events, options, sn);
}

int run_set(CloudLink& link, Responder* responder, const ConsoleOptions& options, const std::string& sn,
            const std::string& data_json) {
  std::string tid = link.new_id();
  std::mutex mutex;
  std::condition_variable cv;
  bool replied = false;
  std::map<std::string, std::int64_t> results;
  ScopedUplinkHandler handler(link, [&](const Uplink& uplink) {
    if (responder != nullptr) responder->handle(uplink);
    if (uplink.sn != sn || uplink.kind != TopicKind::kPropertySetReply || uplink.envelope.tid() != tid) return;
    std::lock_guard<std::mutex> lock(mutex);
    collect_results(uplink.envelope.data(), "", results);
    replied = true;
    cv.notify_all();
  });
  link.publish(TopicKind::kPropertySet, sn, {}, data_json, tid);
  std::unique_lock<std::mutex> lock(mutex);
  if (!wait_until(lock, cv, Clock::now() + seconds_ms(options.timeout_s), [&] { return replied; })) {
    std::fprintf(stderr, "dock-cloud: no property/set_reply from %s within %.1f s\n", sn.c_str(), options.timeout_s);
    return kExitNoAnswer;
  }
  bool all_ok = !results.empty();
  samples::JsonBuilder line;
  line.str("type", "set_reply").str("sn", sn).open_object("results");
  for (const auto& entry : results) {
    all_ok = all_ok && entry.second == 0;
    line.num(entry.first.c_str(), entry.second);
    if (!options.json) std::printf("%s: result %lld\n", entry.first.c_str(), static_cast<long long>(entry.second));
  }
  line.close_object();
  if (options.json) std::printf("%s\n", line.finish().c_str());
  return all_ok ? kExitOk : kExitRefused;
}

namespace {

/// What `watch` shows for one dock.
struct DockRow {
  std::int64_t mode_code = -1, cover_state = -1, drone_in_dock = -1, battery = -1;
  std::string aircraft_sn;
  double latitude = 0, longitude = 0, height = 0;
  bool has_position = false;
  std::string task;
  Clock::time_point last_seen;
};

const char* mode_name(std::int64_t mode) {
  static const char* kNames[] = {"idle", "site-debug", "remote-debug", "upgrading", "working", "calibrating"};
  return mode >= 0 && mode <= 5 ? kNames[mode] : "?";
}

const char* cover_name(std::int64_t cover) {
  static const char* kNames[] = {"closed", "open", "half-open", "abnormal"};
  return cover >= 0 && cover <= 3 ? kNames[cover] : "?";
}

void update_row(std::map<std::string, DockRow>& rows, const Uplink& uplink) {
  const InboundEnvelope& envelope = uplink.envelope;
  const rapidjson::Value& data = envelope.data();
  if (uplink.kind == TopicKind::kOsd) {
    bool dock = envelope.gateway().empty() || envelope.gateway() == uplink.sn;
    DockRow& row = rows[std::string(dock ? uplink.sn : envelope.gateway())];
    row.last_seen = Clock::now();
    if (dock) {
      row.mode_code = samples::read_int(data, "mode_code", row.mode_code);
      row.cover_state = samples::read_int(data, "cover_state", row.cover_state);
      row.drone_in_dock = samples::read_int(data, "drone_in_dock", row.drone_in_dock);
      const rapidjson::Value* charge = samples::member(data, "drone_charge_state");
      if (charge != nullptr) row.battery = samples::read_int(*charge, "capacity_percent", row.battery);
      return;
    }
    row.aircraft_sn = std::string(uplink.sn);
    const rapidjson::Value* battery = samples::member(data, "battery");
    if (battery != nullptr) row.battery = samples::read_int(*battery, "capacity_percent", row.battery);
    row.latitude = samples::read_double(data, "latitude", row.latitude);
    row.longitude = samples::read_double(data, "longitude", row.longitude);
    row.height = samples::read_double(data, "elevation", row.height);
    row.has_position = true;
  } else if (uplink.kind == TopicKind::kEvents) {
    Progress progress = read_progress(envelope);
    if (progress.status.empty()) return;
    DockRow& row = rows[std::string(uplink.sn)];
    std::string detail =
        progress.current_step >= 0 ? "step " + std::to_string(progress.current_step) : progress.step_key;
    row.task = progress.method + " " + std::to_string(progress.percent < 0 ? 0 : progress.percent) + "% " +
               progress.status + (detail.empty() ? "" : " (" + detail + ")");
  } else if (uplink.kind == TopicKind::kStatus) {
    rows[std::string(uplink.sn)].last_seen = Clock::now();
  }
}

void print_rows(const std::map<std::string, DockRow>& rows, const ConsoleOptions& options, bool tty) {
  if (options.json) {
    for (const auto& [sn, row] : rows) {
      samples::JsonBuilder line;
      line.str("type", "dock").str("sn", sn).num("mode_code", row.mode_code).num("cover_state", row.cover_state);
      line.num("drone_in_dock", row.drone_in_dock).num("battery", row.battery).str("aircraft_sn", row.aircraft_sn);
      line.real("latitude", row.latitude).real("longitude", row.longitude).real("elevation", row.height, 1);
      line.str("task", row.task);
      std::printf("%s\n", line.finish().c_str());
    }
    return;
  }
  if (tty) std::printf("\x1b[H\x1b[2J");
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", std::localtime(&now));
  std::printf("%s  %zu dock(s)\n%-20s %-12s %-9s %-7s %-4s %-23s %-7s %-5s %s\n", stamp, rows.size(), "DOCK", "MODE",
              "COVER", "IN_DOCK", "BAT", "POSITION", "ELEV", "AGE", "TASK");
  for (const auto& [sn, row] : rows) {
    char position[64] = "-";
    if (row.has_position) std::snprintf(position, sizeof position, "%.6f,%.6f", row.latitude, row.longitude);
    long long age = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - row.last_seen).count();
    std::printf("%-20s %-12s %-9s %-7s %-4s %-23s %-7.1f %-5lld %s\n", sn.c_str(), mode_name(row.mode_code),
                cover_name(row.cover_state),
                row.drone_in_dock < 0 ? "?"
                : row.drone_in_dock   ? "yes"
                                      : "no",
                row.battery < 0 ? "?" : std::to_string(row.battery).c_str(), position, row.height, age,
                row.task.c_str());
  }
  std::fflush(stdout);
}

}  // namespace

int run_watch(CloudLink& link, Responder* responder, const ConsoleOptions& options) {
  std::mutex mutex;
  std::map<std::string, DockRow> rows;
  ScopedUplinkHandler handler(link, [&](const Uplink& uplink) {
    if (responder != nullptr) responder->handle(uplink);
    std::lock_guard<std::mutex> lock(mutex);
    update_row(rows, uplink);
  });
  bool tty = isatty(STDOUT_FILENO) != 0;
  auto start = Clock::now();
  while (!stop_requested() && !link.lost()) {
    if (options.duration_s > 0 && Clock::now() - start >= seconds_ms(options.duration_s)) break;
    std::this_thread::sleep_for(std::chrono::seconds(1));  // the refresh period of the table, not a sync wait
    std::lock_guard<std::mutex> lock(mutex);
    print_rows(rows, options, tty);
  }
  return link.lost() ? kExitNoAnswer : kExitOk;
}

int run_serve(CloudLink& link, Responder& responder, const ConsoleOptions& options) {
  ScopedUplinkHandler handler(link, [&](const Uplink& uplink) { responder.handle(uplink); });
  std::printf("dock-cloud: serving (status_reply, events_reply, requests_reply)\n");
  auto start = Clock::now();
  while (!stop_requested() && !link.lost()) {
    if (options.duration_s > 0 && Clock::now() - start >= seconds_ms(options.duration_s)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf("dock-cloud: answered %llu message(s)\n", static_cast<unsigned long long>(responder.answered()));
  return link.lost() ? kExitNoAnswer : kExitOk;
}

}  // namespace docklink::cloud
