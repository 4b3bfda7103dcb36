// dock-cloud: a small cloud for DJI docks. It answers what a dock asks of its cloud and drives docks with
// services and property sets, built on DockLink's transport port and envelope/topic helpers.
#include <unistd.h>
#include <csignal>
#include <cstdio>
#include <memory>
#include <vector>

#include "cli_args.hpp"
#include "cloud_link.hpp"
#include "commands.hpp"
#include "json_read.hpp"
#include "object_store.hpp"
#include "platform_setup.hpp"
#include "responder.hpp"

namespace {

const std::vector<docklink::samples::OptionSpec> kSpecs = {
    {"broker", true, "MQTT broker URI (default tcp://127.0.0.1:1883)"},
    {"mqtt-version", true, "3.1.1 (default) or 5"},
    {"username", true, "MQTT username"},
    {"password", true, "MQTT password"},
    {"ca", true, "TLS CA bundle (PEM)"},
    {"cert", true, "TLS client certificate (PEM)"},
    {"key", true, "TLS client key (PEM)"},
    {"client-id", true, "MQTT client id (default dock-cloud-<pid>)"},
    {"timeout-s", true, "call/set: reply and progress timeout (default 10)"},
    {"duration-s", true, "watch/serve: exit after N seconds (default: until SIGINT/SIGTERM)"},
    {"json", false, "JSON lines output"},
    {"no-reply", false, "call: do not answer the job's events (another cloud does)"},
    {"no-follow", false, "call: print the reply only"},
    {"serve", false, "call/set/watch: also answer the docks like `serve`"},
    {"verbose", false, "serve: print every answer"},
    {"log-level", true, "SDK log level (default warn)"},
    {"help", false, "this text"},
};

// The command line's options: kSpecs with the object store's (--store-*) before --help.
std::vector<docklink::samples::OptionSpec> all_specs() {
  std::vector<docklink::samples::OptionSpec> specs = kSpecs;
  std::vector<docklink::samples::OptionSpec> store = docklink::cloud::object_store_specs();
  specs.insert(specs.end() - 1, store.begin(), store.end());
  return specs;
}

/// Prints the help to `out`: stdout for --help, stderr after a usage error.
void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: dock-cloud [options] COMMAND\n"
               "  call SN METHOD [JSON]   send a service, print the reply and the job's progress\n"
               "  ota SN VERSION URL MD5 SIZE\n"
               "                          upgrade dock SN with the package at URL (ota_create), print the reply\n"
               "                          and every ota_progress to the end\n"
               "  set SN JSON             property set, print the per-property results\n"
               "  logs SN [MODULE...]     upload the logs of dock SN (module 3) and its aircraft (module 0) to the\n"
               "                          --store-* object store, print each file's result\n"
               "  watch                   live table of docks\n"
               "  serve                   answer the docks' status/events/requests\n%s"
               "exit codes:\n"
               "  0  success: the service and its job, or every property, succeeded; watch/serve ended normally\n"
               "  1  the dock refused: non-zero result, failed job or a refused property\n"
               "  2  bad command line\n"
               "  3  no answer: no broker connection (or it was lost), or no reply/progress within --timeout-s\n",
               docklink::samples::usage_text(all_specs()).c_str());
}

// The options every command shares; false when a number is out of range.
bool read_options(const docklink::samples::CliArgs& args, docklink::cloud::ConsoleOptions& options) {
  bool numbers_ok = true;
  options.timeout_s = args.get_double("timeout-s", 10, numbers_ok);
  options.duration_s = args.get_double("duration-s", 0, numbers_ok);
  options.json = args.has("json");
  options.reply_events = !args.has("no-reply");
  options.follow = !args.has("no-follow");
  options.serve = args.has("serve");
  options.verbose = args.has("verbose");
  return numbers_ok && options.timeout_s > 0 && options.duration_s >= 0;
}

// The broker connection the command line asks for.
docklink::samples::MqttSettings mqtt_settings(const docklink::samples::CliArgs& args) {
  docklink::samples::MqttSettings settings;
  settings.broker = args.get("broker", "tcp://127.0.0.1:1883");
  std::string version = args.get("mqtt-version", "3.1.1");
  settings.mqtt_version = version == "5" || version == "5.0" ? 5 : 4;
  settings.username = args.get("username");
  settings.password = args.get("password");
  settings.ca_file = args.get("ca");
  settings.cert_file = args.get("cert");
  settings.key_file = args.get("key");
  settings.client_id = args.get("client-id", "dock-cloud-" + std::to_string(getpid()));
  return settings;
}

// Signals are taken synchronously (commands poll stop_requested()), so they are blocked before any thread starts.
void block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

// Whether `text` parses as a JSON object.
bool is_json_object(const std::string& text) {
  rapidjson::Document check;
  check.Parse(text.c_str());
  return !check.HasParseError() && check.IsObject();
}

// What `serve` (or --serve) answers with; false (after saying why) when the --store-* options are wrong.
bool read_responder_options(const docklink::samples::CliArgs& args, const docklink::cloud::ConsoleOptions& options,
                            docklink::cloud::ResponderOptions& responder) {
  responder.verbose = options.verbose;
  std::string error;
  if (!docklink::cloud::read_object_store(args, responder.store, error)) {
    std::fprintf(stderr, "dock-cloud: %s\n", error.c_str());
    return false;
  }
  bool serving = args.positional().front() == "serve" || options.serve;
  if (serving && responder.store.configured()) {
    std::printf("dock-cloud: object store %s\n", docklink::cloud::describe(responder.store).c_str());
  }
  return true;
}

// `logs SN [MODULE...]`: every module is "0" (aircraft) or "3" (dock).
bool logs_modules_ok(const std::vector<std::string>& words) {
  for (std::size_t i = 2; i < words.size(); ++i) {
    if (words[i] != "0" && words[i] != "3") return false;
  }
  return true;
}

// Whether `words` are a command with the right number of arguments.
bool shape_ok(const std::vector<std::string>& words) {
  const std::string& command = words[0];
  return (command == "call" && (words.size() == 3 || words.size() == 4)) || (command == "set" && words.size() == 3) ||
         (command == "ota" && words.size() == 6) || (command == "watch" && words.size() == 1) ||
         (command == "serve" && words.size() == 1) ||
         (command == "logs" && words.size() >= 2 && logs_modules_ok(words));
}

// Runs the command `words` names on the open link; its exit code.
int run_command(docklink::cloud::CloudLink& link, docklink::cloud::Responder* responder,
                const docklink::cloud::ConsoleOptions& options, const docklink::cloud::ObjectStore& store,
                const std::vector<std::string>& words, const std::string& data_json) {
  const std::string& command = words[0];
  if (command == "logs") {
    std::vector<std::string> modules(words.begin() + 2, words.end());
    if (modules.empty()) modules = {"0", "3"};
    return docklink::cloud::run_logs(link, responder, options, store, words[1], modules);
  }
  if (command == "call") return docklink::cloud::run_call(link, responder, options, words[1], words[2], data_json);
  if (command == "ota") {
    return docklink::cloud::run_ota(link, responder, options, {words[1], words[2], words[3], words[4], words[5]});
  }
  if (command == "set") return docklink::cloud::run_set(link, responder, options, words[1], data_json);
  if (command == "watch") return docklink::cloud::run_watch(link, responder, options);
  return docklink::cloud::run_serve(link, *responder, options);
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  docklink::samples::CliArgs args(argc, argv, all_specs());
  if (args.failed()) {
    std::fprintf(stderr, "dock-cloud: %s (try --help)\n", args.error().c_str());
    return docklink::cloud::kExitUsage;
  }
  const auto& words = args.positional();
  if (args.has("help") || words.empty()) {
    usage(args.has("help") ? stdout : stderr);
    return args.has("help") ? docklink::cloud::kExitOk : docklink::cloud::kExitUsage;
  }
  const std::string& command = words[0];
  if (!shape_ok(words)) {
    usage(stderr);
    return docklink::cloud::kExitUsage;
  }
  docklink::cloud::ConsoleOptions options;
  if (!read_options(args, options)) {
    std::fprintf(stderr, "dock-cloud: bad --timeout-s or --duration-s\n");
    return docklink::cloud::kExitUsage;
  }
  docklink::cloud::ResponderOptions responder_options;
  if (!read_responder_options(args, options, responder_options)) return docklink::cloud::kExitUsage;
  if (command == "logs" && !responder_options.store.configured()) {
    std::fprintf(stderr, "dock-cloud: logs needs the object store the logs go to (--store-endpoint ...)\n");
    return docklink::cloud::kExitUsage;
  }
  std::string data_json = command == "call" ? (words.size() == 4 ? words[3] : "{}") : command == "set" ? words[2] : "";
  if (!data_json.empty() && !is_json_object(data_json)) {
    std::fprintf(stderr, "dock-cloud: the JSON argument must be an object: %s\n", data_json.c_str());
    return docklink::cloud::kExitUsage;
  }

  block_stop_signals();

  docklink::samples::PlatformSetup platform;
  docklink::Status status = platform.open(args.get("log-level", "warn"), false);
  if (!status) {
    std::fprintf(stderr, "dock-cloud: %s\n", status.to_string().c_str());
    return docklink::cloud::kExitUsage;  // a bad --log-level
  }
  docklink::samples::MqttSettings settings = mqtt_settings(args);

  docklink::cloud::CloudLink link(platform);
  std::unique_ptr<docklink::cloud::Responder> responder;
  if (command == "serve" || options.serve) {
    responder = std::make_unique<docklink::cloud::Responder>(link, responder_options);
  }
  status = link.open(settings, std::chrono::milliseconds(static_cast<long long>(options.timeout_s * 1000)));
  if (!status) {
    std::fprintf(stderr, "dock-cloud: %s\n", status.to_string().c_str());
    return docklink::cloud::kExitNoAnswer;
  }
  int code = run_command(link, responder.get(), options, responder_options.store, words, data_json);
  link.close();
  return code;
}
