#include "refusing_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

namespace docklink::test {
namespace {

bool read_exactly(int fd, std::uint8_t* out, std::size_t size) {
  while (size > 0) {
    const ssize_t got = ::recv(fd, out, size, 0);
    if (got <= 0) return false;
    out += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

bool write_all(int fd, const std::vector<std::uint8_t>& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

/// Reads one MQTT packet: its first byte and its body (everything after the remaining length).
bool read_packet(int fd, std::uint8_t& type, std::vector<std::uint8_t>& body) {
  if (!read_exactly(fd, &type, 1)) return false;
  std::size_t length = 0;
  for (int shift = 0; shift < 28; shift += 7) {
    std::uint8_t digit = 0;
    if (!read_exactly(fd, &digit, 1)) return false;
    length |= static_cast<std::size_t>(digit & 0x7F) << shift;
    if ((digit & 0x80) == 0) break;
  }
  body.resize(length);
  return length == 0 || read_exactly(fd, body.data(), length);
}

}  // namespace

RefusingBroker::RefusingBroker() {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 4) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return;
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

RefusingBroker::~RefusingBroker() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  if (listener_ >= 0) ::close(listener_);
}

std::string RefusingBroker::uri() const {
  return port_ == 0 ? std::string() : "tcp://127.0.0.1:" + std::to_string(port_);
}

void RefusingBroker::serve() {
  while (!stopping_) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;  // wakes up regularly to notice stopping_
    const int client = ::accept(listener_, nullptr, nullptr);
    if (client < 0) continue;
    serve_client(client);
    ::close(client);
  }
}

void RefusingBroker::serve_client(int client) {
  bool v5 = false;
  std::uint8_t type = 0;
  std::vector<std::uint8_t> body;
  while (!stopping_) {
    pollfd ready{client, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;
    if (!read_packet(client, type, body)) return;
    switch (type >> 4) {
      case 1:  // CONNECT: protocol name "MQTT" (2 + 4 bytes), then the protocol level
        v5 = body.size() > 6 && body[6] == 5;
        if (!write_all(client,
                       v5 ? std::vector<std::uint8_t>{0x20, 3, 0, 0, 0} : std::vector<std::uint8_t>{0x20, 2, 0, 0}))
          return;
        break;
      case 8:  // SUBSCRIBE: packet id first; one refusal per request (the tests subscribe one filter at a time)
        if (body.size() < 2) return;
        ++refused_;
        if (!write_all(client, v5 ? std::vector<std::uint8_t>{0x90, 4, body[0], body[1], 0, 0x87}
                                  : std::vector<std::uint8_t>{0x90, 3, body[0], body[1], 0x80}))
          return;
        break;
      case 12:  // PINGREQ
        if (!write_all(client, {0xD0, 0})) return;
        break;
      case 14:  // DISCONNECT
        return;
      default:
        break;
    }
  }
}

}  // namespace docklink::test
