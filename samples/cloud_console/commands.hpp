// dock-cloud's subcommands: call, set, watch and serve.
#pragma once

#include <string>
#include <vector>

#include "cloud_link.hpp"
#include "responder.hpp"

namespace docklink::cloud {

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

/// `call SN METHOD [JSON]`: exit code 0 when the service (and its job) succeeded.
int run_call(CloudLink& link, Responder* responder, const ConsoleOptions& options, const std::string& sn,
             const std::string& method, const std::string& data_json);
/// `set SN JSON`: exit code 0 when every property was set.
int run_set(CloudLink& link, Responder* responder, const ConsoleOptions& options, const std::string& sn,
            const std::string& data_json);
/// `watch`: a live table of docks.
int run_watch(CloudLink& link, Responder* responder, const ConsoleOptions& options);
/// `serve`: answer the docks until stopped.
int run_serve(CloudLink& link, Responder& responder, const ConsoleOptions& options);

/// True once SIGINT or SIGTERM arrived (the commands poll it).
bool stop_requested();

}  // namespace docklink::cloud
