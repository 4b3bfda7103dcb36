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

/// The SUBACK for a SUBSCRIBE body: one code per filter, refusing each filter unless it contains "granted"
/// (3.1.1: 0x80, 5: reason code 0x87 "not authorized"; granted ones get QoS 1). Counts the refusals in `refused`.
std::vector<std::uint8_t> suback_for(const std::vector<std::uint8_t>& body, bool v5, int& refused) {
  std::vector<std::uint8_t> codes;
  std::size_t at = 2;  // after the packet id
  // MQTT 5: the properties, a one-byte size here (the client sends none or few) and their bytes.
  if (v5 && at < body.size()) at += std::size_t{1} + body[at];
  while (at + 2 <= body.size()) {
    const std::size_t length = (std::size_t{body[at]} << 8) | body[at + 1];
    if (at + 2 + length + 1 > body.size()) break;
    const std::string filter(body.begin() + static_cast<std::ptrdiff_t>(at + 2),
                             body.begin() + static_cast<std::ptrdiff_t>(at + 2 + length));
    const bool grant = filter.find("granted") != std::string::npos;
    if (!grant) ++refused;
    codes.push_back(grant ? 0x01 : (v5 ? 0x87 : 0x80));
    at += 2 + length + 1;  // the filter and its options byte
  }
  std::vector<std::uint8_t> packet{0x90, 0, body[0], body[1]};
  if (v5) packet.push_back(0);  // no properties
  packet.insert(packet.end(), codes.begin(), codes.end());
  packet[1] = static_cast<std::uint8_t>(packet.size() - 2);
  return packet;
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
      case 8: {  // SUBSCRIBE
        if (body.size() < 2) return;
        ++subscribes_;
        int refused = 0;
        const std::vector<std::uint8_t> suback = suback_for(body, v5, refused);
        refused_ += refused;
        if (!write_all(client, suback)) return;
        break;
      }
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
