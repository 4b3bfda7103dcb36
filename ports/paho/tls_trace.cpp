// Paho C trace -> a thread-local note for the connect failure that follows on the same thread.
#include "tls_trace.hpp"

#include <MQTTAsync.h>

#include <cstring>
#include <mutex>
#include <utility>

namespace docklink::ports::paho {
namespace {

thread_local std::string t_note;
std::mutex g_mutex;
int g_watchers = 0;
bool g_installed = false;

void on_trace(enum MQTTASYNC_TRACE_LEVELS, char* message) {
  if (message == nullptr) return;
  // Paho C 1.3 logs "X509_check_host for hostname <name> failed, rc 0" (for an address X509_check_ip_asc may
  // still succeed; a success drains the note) and, when tracing, OpenSSL's alerts such as
  // "SSL alert write:fatal:unknown CA" or "SSL alert read:fatal:certificate required".
  if (std::strstr(message, "X509_check_host") != nullptr && std::strstr(message, "failed") != nullptr) {
    t_note = "the server certificate does not name the host that was dialled (hostname verification failed)";
  } else if (const char* alert = std::strstr(message, "SSL alert ")) {
    if (std::strstr(alert, ":fatal:") != nullptr) t_note = std::string("TLS ") + (alert + 4);
  }
}

}  // namespace

void begin_tls_watch() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (!g_installed) {
    MQTTAsync_setTraceCallback(&on_trace);
    g_installed = true;
  }
  // PROTOCOL is the least verbose level that carries the hostname check (it also logs packets, hence only
  // while connecting).
  if (g_watchers++ == 0) MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_PROTOCOL);
}

void end_tls_watch() {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (g_watchers > 0 && --g_watchers == 0) MQTTAsync_setTraceLevel(MQTTASYNC_TRACE_FATAL);
}

std::string take_tls_note() { return std::exchange(t_note, std::string()); }

}  // namespace docklink::ports::paho
