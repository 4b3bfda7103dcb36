// `logs SN [MODULE...]`: fetches device logs of dock SN into the object store given with --store-*
// (docs/protocol.md#files). fileupload_list asks which boot logs the dock and its aircraft keep; fileupload_start
// hands the store and its key pair to the dock with one object per module holding every listed boot, under
// "<SN>/logs/<bid>/<device SN>-<module>.log"; the fileupload_progress events carrying the call's bid are followed
// until the run ends, and each file's end (ok with its key and size, failed with its result, canceled) is printed.
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

#include "commands.hpp"
#include "json_read.hpp"
#include "json_write.hpp"

namespace docklink::cloud {

namespace {

using Clock = std::chrono::steady_clock;

/// What the command waits for, copied off the link's worker thread.
struct LogsInbox {
  std::mutex mutex;
  std::condition_variable cv;
  std::map<std::string, std::string> replies;  ///< services_reply data by tid.
  std::deque<std::string> progress;            ///< fileupload_progress data of the run, in order.
  std::string bid;                             ///< The run's bid (fileupload_start's).
};

// Waits for `ready` up to `timeout_s`, polling the stop signal; false on timeout or stop.
template <typename Predicate>
bool wait_for(std::unique_lock<std::mutex>& lock, std::condition_variable& cv, double timeout_s, Predicate ready) {
  auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000));
  while (!ready()) {
    if (Clock::now() >= deadline || stop_requested()) return false;
    cv.wait_for(lock, std::chrono::milliseconds(100));
  }
  return true;
}

// Sends service `method` to `sn` and waits for its reply's data; nullopt (after saying so) when none came.
std::optional<rapidjson::Document> call(CloudLink& link, LogsInbox& inbox, const ConsoleOptions& options,
                                        const std::string& sn, const std::string& method, const std::string& data,
                                        const std::string& bid) {
  std::string tid = link.new_id();
  link.publish(TopicKind::kServices, sn, method, data, tid, bid);  // the reply is kept by tid: none is missed
  std::unique_lock<std::mutex> lock(inbox.mutex);
  if (!wait_for(lock, inbox.cv, options.timeout_s, [&] { return inbox.replies.count(tid) > 0; })) {
    std::fprintf(stderr, "dock-cloud: no services_reply from %s to %s within %.1f s\n", sn.c_str(), method.c_str(),
                 options.timeout_s);
    return std::nullopt;
  }
  rapidjson::Document reply;
  reply.Parse(inbox.replies[tid].c_str());
  return reply;
}

// The `module` of a device or file as text ("0" or "3"), whether the dock sent a string or a number.
std::string module_of(const rapidjson::Value& device) {
  const rapidjson::Value* module = samples::member(device, "module");
  if (module != nullptr && module->IsInt64()) return std::to_string(module->GetInt64());
  return samples::read_string(device, "module");
}

// fileupload_start's data: the store with its key pair, and one file per listed module that has logs. Also counts
// the files.
std::string start_data(const ObjectStore& store, const std::string& sn, const std::string& bid,
                       const rapidjson::Value& listed, int& files) {
  samples::JsonBuilder data;
  data.str("bucket", store.bucket).str("region", store.region).str("endpoint", store.endpoint);
  data.str("provider", store.provider).str("file_type", "text_log");
  data.open_object("credentials").str("access_key_id", store.access_key).str("access_key_secret", store.secret_key);
  data.num("expire", store.expiry_s).str("security_token", store.session_token).close_object();
  data.open_object("params").open_array("files");
  files = 0;
  for (const auto& device : listed.GetArray()) {
    const rapidjson::Value* list = samples::member(device, "list");
    if (samples::read_int(device, "result", -1) != 0 || list == nullptr || !list->IsArray() || list->Empty()) continue;
    std::string device_sn = samples::read_string(device, "device_sn");
    std::string module = module_of(device);
    data.open_object().str("device_sn", device_sn).str("module", module);
    data.str("object_key", sn + "/logs/" + bid + "/" + device_sn + "-" + module + ".log").open_array("list");
    for (const auto& log : list->GetArray()) {
      data.open_object().num("boot_index", samples::read_int(log, "boot_index", -1)).close_object();
    }
    data.close_array().close_object();
    ++files;
  }
  data.close_array().close_object();
  return data.finish();
}

// Prints what fileupload_list found per device; the `files` array, or null when the reply has none.
const rapidjson::Value* print_listed(const rapidjson::Document& reply, const ConsoleOptions& options,
                                     const std::string& sn) {
  const rapidjson::Value* files = samples::member(reply, "files");
  if (files == nullptr || !files->IsArray()) return nullptr;
  for (const auto& device : files->GetArray()) {
    const rapidjson::Value* list = samples::member(device, "list");
    std::int64_t bytes = 0, count = list != nullptr && list->IsArray() ? list->Size() : 0;
    for (rapidjson::SizeType i = 0; i < count; ++i) bytes += samples::read_int((*list)[i], "size", 0);
    std::string device_sn = samples::read_string(device, "device_sn");
    std::string module = module_of(device);
    std::int64_t result = samples::read_int(device, "result", -1);
    if (options.json) {
      std::printf("%s\n", samples::JsonBuilder()
                              .str("type", "listed")
                              .str("sn", sn)
                              .str("device_sn", device_sn)
                              .str("module", module)
                              .num("result", result)
                              .num("logs", count)
                              .num("bytes", bytes)
                              .finish()
                              .c_str());
    } else {
      std::printf("%s module %s: result %lld, %lld log(s), %lld bytes\n", device_sn.c_str(), module.c_str(),
                  static_cast<long long>(result), static_cast<long long>(count), static_cast<long long>(bytes));
    }
  }
  return files;
}

// Prints the files of one progress event that ended since the last one (`ended` remembers them by key).
void print_ended_files(const rapidjson::Value& data, const ConsoleOptions& options,
                       std::map<std::string, bool>& ended) {
  const rapidjson::Value* output = samples::member(data, "output");
  const rapidjson::Value* ext = output != nullptr ? samples::member(*output, "ext") : nullptr;
  const rapidjson::Value* files = ext != nullptr ? samples::member(*ext, "files") : nullptr;
  if (files == nullptr || !files->IsArray()) return;
  for (const auto& file : files->GetArray()) {
    const rapidjson::Value* progress = samples::member(file, "progress");
    if (progress == nullptr) continue;
    std::string status = samples::read_string(*progress, "status");
    std::string key = samples::read_string(file, "key");
    if ((status != "ok" && status != "failed" && status != "canceled") || ended[key]) continue;
    ended[key] = true;
    std::int64_t result = samples::read_int(*progress, "result", 0), size = samples::read_int(file, "size", 0);
    std::string device_sn = samples::read_string(file, "device_sn"), module = module_of(file);
    if (options.json) {
      std::printf("%s\n", samples::JsonBuilder()
                              .str("type", "log")
                              .str("device_sn", device_sn)
                              .str("module", module)
                              .str("key", key)
                              .str("status", status)
                              .num("result", result)
                              .num("size", size)
                              .finish()
                              .c_str());
    } else {
      std::printf("log %s module %s: %s result %lld, %lld bytes, key %s\n", device_sn.c_str(), module.c_str(),
                  status.c_str(), static_cast<long long>(result), static_cast<long long>(size), key.c_str());
    }
  }
}

// Follows the run's progress events until its status ends; the exit code.
int follow_run(LogsInbox& inbox, const ConsoleOptions& options, const std::string& sn) {
  std::map<std::string, bool> ended;
  std::unique_lock<std::mutex> lock(inbox.mutex);
  for (;;) {
    if (!wait_for(lock, inbox.cv, options.timeout_s, [&] { return !inbox.progress.empty(); })) {
      std::fprintf(stderr, "dock-cloud: no fileupload_progress from %s for %.1f s\n", sn.c_str(), options.timeout_s);
      return kExitNoAnswer;
    }
    rapidjson::Document data;
    data.Parse(inbox.progress.front().c_str());
    inbox.progress.pop_front();
    if (!data.IsObject()) continue;
    print_ended_files(data, options, ended);
    const rapidjson::Value* output = samples::member(data, "output");
    std::string status = output != nullptr ? samples::read_string(*output, "status") : "";
    if (status.empty() || status == "in_progress" || status == "sent") continue;
    std::int64_t result = samples::read_int(data, "result", 0);
    if (options.json) {
      std::printf(
          "%s\n",
          samples::JsonBuilder().str("type", "logs").str("status", status).num("result", result).finish().c_str());
    } else {
      std::printf("logs: %s result %lld\n", status.c_str(), static_cast<long long>(result));
    }
    return status == "ok" ? kExitOk : kExitRefused;
  }
}

// The handler that files replies and the run's progress into `inbox`.
UplinkHandler inbox_handler(Responder* responder, LogsInbox& inbox, const std::string& sn) {
  return [responder, &inbox, sn](const Uplink& uplink) {
    if (responder != nullptr) responder->handle(uplink);
    if (uplink.sn != sn) return;
    const InboundEnvelope& envelope = uplink.envelope;
    bool reply = uplink.kind == TopicKind::kServicesReply;
    bool progress = uplink.kind == TopicKind::kEvents && envelope.method() == "fileupload_progress";
    if (!reply && !progress) return;
    std::lock_guard<std::mutex> lock(inbox.mutex);
    if (reply) inbox.replies[std::string(envelope.tid())] = samples::to_json(envelope.data());
    if (progress && envelope.bid() == inbox.bid) inbox.progress.push_back(samples::to_json(envelope.data()));
    inbox.cv.notify_all();
  };
}

}  // namespace

int run_logs(CloudLink& link, Responder* responder, const ConsoleOptions& options, const ObjectStore& store,
             const std::string& sn, const std::vector<std::string>& modules) {
  LogsInbox inbox;
  inbox.bid = link.new_id();
  ScopedUplinkHandler handler(link, inbox_handler(responder, inbox, sn));
  samples::JsonBuilder list_data;
  list_data.open_array("module_list");
  for (const std::string& module : modules) list_data.element(module);
  list_data.close_array();
  auto listed = call(link, inbox, options, sn, "fileupload_list", list_data.finish(), link.new_id());
  if (!listed) return kExitNoAnswer;
  const rapidjson::Value* files = print_listed(*listed, options, sn);
  if (samples::read_int(*listed, "result", -1) != 0 || files == nullptr) {
    std::fprintf(stderr, "dock-cloud: fileupload_list refused: result %lld\n",
                 static_cast<long long>(samples::read_int(*listed, "result", -1)));
    return kExitRefused;
  }
  int count = 0;
  std::string data = start_data(store, sn, inbox.bid, *files, count);
  if (count == 0) {
    std::fprintf(stderr, "dock-cloud: %s has no logs to upload\n", sn.c_str());
    return kExitRefused;
  }
  auto started = call(link, inbox, options, sn, "fileupload_start", data, inbox.bid);
  if (!started) return kExitNoAnswer;
  std::int64_t result = samples::read_int(*started, "result", -1);
  if (options.json) {
    std::printf("%s\n", samples::JsonBuilder()
                            .str("type", "reply")
                            .str("sn", sn)
                            .str("method", "fileupload_start")
                            .num("result", result)
                            .num("files", count)
                            .finish()
                            .c_str());
  } else {
    std::printf("%s fileupload_start: result %lld, %d file(s) to %s\n", sn.c_str(), static_cast<long long>(result),
                count, describe(store).c_str());
  }
  if (result != 0) return kExitRefused;
  return follow_run(inbox, options, sn);
}

}  // namespace docklink::cloud
