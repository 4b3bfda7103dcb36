// stop_clients(): Client::stop()'s steps for many clients, the blocking middle one on a bounded set of threads.
#include "docklink/stop_clients.hpp"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "client_access.hpp"
#include "client_core.hpp"
#include "docklink/config_defaults.hpp"

namespace docklink {

namespace {

/// One client whose stop this call began, and the pending replies it took.
struct Stopping {
  detail::ClientCore* core = nullptr;
  std::map<std::string, detail::Pending> abandoned;
};

/// Runs `work(i)` for every i below `count` on up to defaults::kStopClientsThreads threads, the calling one
/// included. A thread that cannot be started leaves its share to the others.
void run_bounded(std::size_t count, const std::function<void(std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  const auto drain = [&next, count, &work] {
    for (std::size_t at = next++; at < count; at = next++) work(at);
  };
  const std::size_t extra = std::min<std::size_t>(defaults::kStopClientsThreads, count);
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < extra; ++i) {
    try {
      threads.emplace_back(drain);
    } catch (const std::system_error&) {
      break;  // out of threads: fewer workers, same work
    }
  }
  drain();
  for (std::thread& thread : threads) thread.join();
}

}  // namespace

Status stop_clients(const std::vector<Client*>& clients) {
  std::vector<detail::ClientCore*> cores;
  cores.reserve(clients.size());
  for (Client* client : clients) {
    if (client != nullptr) cores.push_back(&detail::ClientAccess::core(*client));
  }
  // Refused before anything stops: a handler of one of them would wait for its own strand.
  for (detail::ClientCore* core : cores) {
    Status refused = core->check_stop_caller();
    if (!refused) return refused;
  }
  std::vector<Stopping> stopping;
  stopping.reserve(cores.size());
  for (detail::ClientCore* core : cores) {
    Stopping entry;
    entry.core = core;
    if (core->begin_stop(entry.abandoned)) stopping.push_back(std::move(entry));
  }
  run_bounded(stopping.size(), [&stopping](std::size_t at) { stopping[at].core->finish_stop(); });
  for (Stopping& entry : stopping) detail::ClientCore::report_abandoned(entry.abandoned);
  return Status::ok();
}

}  // namespace docklink
