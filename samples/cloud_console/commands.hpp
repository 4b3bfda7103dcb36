// dock-cloud's subcommands: call, ota, set, logs, watch and serve.
#pragma once

#include <string>
#include <vector>

#include "cloud_link.hpp"
#include "responder.hpp"

namespace docklink::cloud {

/// dock-cloud's exit codes, so scripts can tell a refusal from a silent dock.
enum ExitCode : int {
  kExitOk = 0,        ///< The service, its job or every property succeeded (watch/serve: stopped normally).
  kExitRefused = 1,   ///< The dock answered with a failure: non-zero result, failed job, refused property.
  kExitUsage = 2,     ///< Bad command line.
  kExitNoAnswer = 3,  ///< No broker connection (or it was lost), or no reply/progress within --timeout-s.
};

/// Options shared by the subcommands.
struct ConsoleOptions {
  double timeout_s = 10;     ///< call/set: wait this long for a reply and between progress events.
  double duration_s = 0;     ///< watch/serve: exit after this long; 0 runs until SIGINT/SIGTERM.
  bool json = false;         ///< JSON lines instead of text.
  bool reply_events = true;  ///< call: answer the followed job's events (need_reply).
  bool follow = true;        ///< call: follow the job's progress after the reply.
  bool serve = false;        ///< call/set/watch: also answer like `serve`.
  bool verbose = false;      ///< serve: one line per answer.
};

/// `call SN METHOD [JSON]`: kExitOk when the service (and its job) succeeded.
int run_call(CloudLink& link, Responder* responder, const ConsoleOptions& options, const std::string& sn,
             const std::string& method, const std::string& data_json);
/// `set SN JSON`: kExitOk when every property was set.
int run_set(CloudLink& link, Responder* responder, const ConsoleOptions& options, const std::string& sn,
            const std::string& data_json);
/// The words of `ota SN VERSION URL MD5 SIZE`.
struct OtaPackageArgs {
  std::string sn;       ///< The dock to upgrade (also the gateway the service goes to).
  std::string version;  ///< product_version the package brings.
  std::string url;      ///< Where the dock downloads it.
  std::string md5;      ///< Its MD5, 32 hex digits.
  std::string size;     ///< Its size in bytes, as typed (checked by run_ota).
};
/// `ota SN VERSION URL MD5 SIZE`: ota_create with one package for dock SN, followed to the end like `call`;
/// kExitUsage for an MD5 that is not 32 hex digits or a size that is not a positive number.
int run_ota(CloudLink& link, Responder* responder, const ConsoleOptions& options, const OtaPackageArgs& package);
/// `logs SN [MODULE...]`: fileupload_list for the modules ("0" aircraft, "3" dock), then fileupload_start of every
/// listed log into `store` (one object per module), followed until the run ends, each file's end printed;
/// kExitOk when every file landed.
int run_logs(CloudLink& link, Responder* responder, const ConsoleOptions& options, const ObjectStore& store,
             const std::string& sn, const std::vector<std::string>& modules);
/// `watch`: a live table of docks.
int run_watch(CloudLink& link, Responder* responder, const ConsoleOptions& options);
/// `serve`: answer the docks until stopped.
int run_serve(CloudLink& link, Responder& responder, const ConsoleOptions& options);

/// True once SIGINT or SIGTERM arrived (the commands poll it).
bool stop_requested();

}  // namespace docklink::cloud
