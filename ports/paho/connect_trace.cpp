// Paho C trace -> TLS failure notes and TCP_NODELAY on the socket that carries a watched client's CONNECT.
#include "connect_trace.hpp"

#include <MQTTAsync.h>

#include <cstring>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "tcp_nodelay.hpp"

namespace docklink::ports::paho {
namespace {

/// One client's connect attempt(s) being watched.
struct Watch {
  int attempts = 0;           // begin_connect_watch() calls not yet ended
  bool want_nodelay = false;  // set TCP_NODELAY when the socket shows up
  bool nodelay_set = false;   // it was set on the socket of the latest CONNECT
};

thread_local std::string t_note;
// The server asked for a client certificate in the TLS handshake in progress on this thread.
thread_local bool t_certificate_requested = false;
int g_watchers = 0;
bool g_installed = false;
// Never destroyed: Paho's threads may still trace while the process exits and static objects are destroyed.
std::mutex& g_mutex = *new std::mutex;
std::unordered_map<std::string, Watch>& watches() {
  static auto* map = new std::unordered_map<std::string, Watch>;
  return *map;
}

/// What Paho C 1.3 writes before " -> CONNECT version <v> clean: <c> (<rc>)" when it has sent CONNECT on a new
/// socket: "<date> <time> <fd> <client id>". The client id may contain spaces, so it is matched against the
/// watched ones.
void note_connect(std::string_view before) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto& [client_id, watch] : watches()) {
    if (!watch.want_nodelay || before.size() <= client_id.size() + 1) continue;
    const std::size_t id_at = before.size() - client_id.size();
    if (before.substr(id_at) != client_id || before[id_at - 1] != ' ') continue;
    std::size_t digits_end = id_at - 1;
    std::size_t digits_begin = digits_end;
    while (digits_begin > 0 && before[digits_begin - 1] >= '0' && before[digits_begin - 1] <= '9') --digits_begin;
    if (digits_begin == digits_end || digits_end - digits_begin > 9) continue;
    int fd = 0;
    for (std::size_t i = digits_begin; i < digits_end; ++i) fd = fd * 10 + (before[i] - '0');
    watch.nodelay_set = set_tcp_nodelay(fd);
    return;
  }
}

/// The CONNECT line is traced on the thread that finished the handshake, after the hostname check passed (an
/// address may fail X509_check_host and pass X509_check_ip_asc: that note is stale now). "(-1)" at its end is a
/// failed write. With TLS 1.3 the server checks the client certificate only after the client's handshake is
/// done; refusing it, it sends its alert and closes, and when that wins the race with CONNECT the write fails
/// before any alert is read. A failed first write after the server asked for a client certificate is that.
void note_connect_outcome(std::string_view line) {
  t_note.clear();
  const std::string_view failed = "(-1)";
  const bool write_failed = line.size() >= failed.size() && line.substr(line.size() - failed.size()) == failed;
  if (write_failed && t_certificate_requested) {
    t_note =
        "the broker closed the connection right after a TLS handshake in which it asked for a client "
        "certificate, before CONNECT could be sent (TLS 1.3: client certificate missing or refused)";
  }
  t_certificate_requested = false;
}

void on_trace(enum MQTTASYNC_TRACE_LEVELS, char* message) {
  if (message == nullptr) return;
  // Paho C 1.3 logs "X509_check_host for hostname <name> failed, rc 0" (for an address X509_check_ip_asc may
  // still succeed; the CONNECT line drains the note) and, when tracing, OpenSSL's alerts such as
  // "SSL alert write:fatal:unknown CA" or "SSL alert read:fatal:certificate required", and its handshake
  // states ("SSL state connect:SSLv3/TLS write client hello", "... read server certificate request").
  if (std::strstr(message, "X509_check_host") != nullptr && std::strstr(message, "failed") != nullptr) {
    t_note = "the server certificate does not name the host that was dialled (hostname verification failed)";
  } else if (const char* alert = std::strstr(message, "SSL alert ")) {
    if (std::strstr(alert, ":fatal:") != nullptr) t_note = std::string("TLS ") + (alert + 4);
  } else if (const char* state = std::strstr(message, "SSL state connect:")) {
    if (std::strstr(state, "write client hello") != nullptr) t_certificate_requested = false;
    if (std::strstr(state, "read server certificate request") != nullptr) t_certificate_requested = true;
  } else {
    const std::string_view line(message);
    const std::size_t arrow = line.find(" -> CONNECT version ");  // every traced packet passes here: search once
    if (arrow == std::string_view::npos) return;
    note_connect_outcome(line);
    note_connect(line.substr(0, arrow));
  }
}

}  // namespace

void begin_connect_watch(const std::string& client_id, bool set_tcp_nodelay) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_installed) {
    MQTTAsync_setTraceCallback(&on_trace);
    g_installed = true;
  }
  Watch& watch = watches()[client_id];
  ++watch.attempts;
  watch.want_nodelay = watch.want_nodelay || set_tcp_nodelay;
  watch.nodelay_set = false;
  // PROTOCOL is the least verbose level that carries both the hostname check and the CONNECT line (it also logs
  // every packet, hence only while connecting).
  if (g_watchers++ == 0) MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_PROTOCOL);
}

void end_connect_watch(const std::string& client_id) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = watches().find(client_id);
  if (it != watches().end() && --it->second.attempts <= 0) watches().erase(it);
  if (g_watchers > 0 && --g_watchers == 0) MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_FATAL);
}

bool tcp_nodelay_was_set(const std::string& client_id) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = watches().find(client_id);
  return it != watches().end() && it->second.nodelay_set;
}

std::string take_tls_note() { return std::exchange(t_note, std::string()); }

}  // namespace docklink::ports::paho
