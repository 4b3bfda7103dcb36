// Finding Paho's socket by its peer port: Paho C++ 1.2 gives no access to the descriptor, so the process's
// descriptors are scanned right after connect and every TCP socket to the broker's port gets TCP_NODELAY.
#include "tcp_nodelay.hpp"

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cstdlib>

namespace docklink::ports::paho {
namespace {

constexpr int kFallbackDescriptorLimit = 1024;

/// Returns 1 when `fd` is a TCP socket connected to `port` and now has TCP_NODELAY, else 0.
int set_if_broker_socket(int fd, std::uint16_t port) noexcept {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  // getpeername fails at once for non-sockets and unconnected sockets, so it is the cheap first filter.
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return 0;
  std::uint16_t peer_port_network = 0;
  if (peer.ss_family == AF_INET) {
    peer_port_network = reinterpret_cast<const sockaddr_in*>(&peer)->sin_port;
  } else if (peer.ss_family == AF_INET6) {
    peer_port_network = reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_port;
  } else {
    return 0;
  }
  if (ntohs(peer_port_network) != port) return 0;
  return set_tcp_nodelay(fd) ? 1 : 0;
}

}  // namespace

bool set_tcp_nodelay(int fd) noexcept {
  int type = 0;
  socklen_t type_length = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &type_length) != 0 || type != SOCK_STREAM) return false;
  int on = 1;
  return setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) == 0;
}

int set_tcp_nodelay_to_peer_port(std::uint16_t broker_port) noexcept {
  int count = 0;
  DIR* descriptors = opendir("/proc/self/fd");
  if (descriptors == nullptr) {
    for (int fd = 0; fd < kFallbackDescriptorLimit; ++fd) count += set_if_broker_socket(fd, broker_port);
    return count;
  }
  const int own_fd = dirfd(descriptors);
  while (const dirent* entry = readdir(descriptors)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd < 0 || fd == own_fd) continue;
    count += set_if_broker_socket(static_cast<int>(fd), broker_port);
  }
  closedir(descriptors);
  return count;
}

}  // namespace docklink::ports::paho
