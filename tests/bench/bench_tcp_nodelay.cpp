// Cost of the Paho transport's TCP_NODELAY workaround: after every connect it scans the process's descriptors
// for sockets to the broker's port (ports/paho/tcp_nodelay.cpp), so one connect costs O(open descriptors) and a
// fleet of N docks in one process costs O(N^2). Measured with N loopback TCP connections open, against the
// baseline of one setsockopt on a known descriptor (what a transport that owned its socket would pay).
// Usage: bench_tcp_nodelay [--out FILE]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../../ports/paho/tcp_nodelay.hpp"

namespace {

double elapsed_us(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string out;
  if (argc == 3 && std::string(argv[1]) == "--out") out = argv[2];
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);

  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(listener, 4096) != 0) {
    std::perror("listen");
    return 1;
  }
  socklen_t length = sizeof address;
  getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
  const std::uint16_t port = ntohs(address.sin_port);

  std::ostringstream md;
  md << "### TCP_NODELAY descriptor scan per connect (ports/paho/tcp_nodelay.cpp)\n\n";
  md << "| open broker sockets | scan per connect µs | one setsockopt µs (baseline) | scan / baseline | fleet of this "
        "size, all scans s |\n| ---: | ---: | ---: | ---: | ---: |\n";
  std::vector<int> clients, accepted;
  for (const int target : {10, 100, 1000, 5000}) {
    while (static_cast<int>(clients.size()) < target) {
      const int fd = socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        std::fprintf(stderr, "stopped at %zu sockets (descriptor limit %llu)\n", clients.size(),
                     static_cast<unsigned long long>(limit.rlim_cur));
        break;
      }
      clients.push_back(fd);
      accepted.push_back(accept(listener, nullptr, nullptr));
    }
    if (static_cast<int>(clients.size()) < target) break;
    const int repeats = std::max(3, 20000 / target);
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i) docklink::ports::paho::set_tcp_nodelay_to_peer_port(port);
    const double scan_us = elapsed_us(start) / repeats;
    start = std::chrono::steady_clock::now();
    const int on = 1;
    for (int i = 0; i < 10000; ++i) setsockopt(clients.back(), IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    const double one_us = elapsed_us(start) / 10000;
    char row[200];
    // A fleet connecting one by one scans 1, 2, ... N sockets: about N/2 * scan(N) in total.
    std::snprintf(row, sizeof row, "| %d | %.1f | %.2f | %.0f× | %.2f |\n", target, scan_us, one_us, scan_us / one_us,
                  target / 2.0 * scan_us / 1e6);
    md << row;
  }
  md << "\n";
  for (int fd : clients) close(fd);
  for (int fd : accepted) close(fd);
  close(listener);
  std::fputs(md.str().c_str(), stdout);
  if (!out.empty()) std::ofstream(out, std::ios::app) << md.str();
  return 0;
}
