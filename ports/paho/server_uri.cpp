// Broker URI parsing: done here rather than left to Paho so that a typo fails in create() with a clear message
// instead of at the first connect.
#include "server_uri.hpp"

#include <array>
#include <cctype>

namespace docklink::ports::paho {
namespace {

struct Scheme {
  std::string_view prefix;
  std::string_view paho_prefix;
  std::uint16_t default_port;
  bool tls;
  bool websocket;
};

constexpr std::array<Scheme, 5> kSchemes{{
    {"tcp://", "tcp://", 1883, false, false},
    {"ssl://", "ssl://", 8883, true, false},
    {"mqtts://", "ssl://", 8883, true, false},
    {"ws://", "ws://", 80, false, true},
    {"wss://", "wss://", 443, true, true},
}};

Status invalid(std::string_view uri, std::string_view why) {
  return Status(StatusCode::kInvalidArgument, "bad server URI '" + std::string(uri) + "': " + std::string(why));
}

bool parse_port(std::string_view digits, std::uint16_t& port) {
  if (digits.empty() || digits.size() > 5) return false;
  unsigned value = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace

Result<ServerUri> parse_server_uri(std::string_view uri) {
  const Scheme* scheme = nullptr;
  for (const auto& candidate : kSchemes) {
    if (uri.substr(0, candidate.prefix.size()) == candidate.prefix) scheme = &candidate;
  }
  if (scheme == nullptr) return invalid(uri, "scheme must be tcp://, ssl://, mqtts://, ws:// or wss://");

  std::string_view rest = uri.substr(scheme->prefix.size());
  std::string_view path;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (!scheme->websocket) return invalid(uri, "only ws:// and wss:// URIs may have a path");
    path = rest.substr(slash);
    rest = rest.substr(0, slash);
  }

  ServerUri parsed;
  parsed.tls = scheme->tls;
  parsed.websocket = scheme->websocket;
  parsed.port = scheme->default_port;
  std::string_view host_and_port = rest;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {  // [IPv6]:port
    auto close = rest.find(']');
    if (close == std::string_view::npos) return invalid(uri, "unterminated IPv6 address");
    parsed.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid(uri, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
      if (!parse_port(port_text, parsed.port)) return invalid(uri, "port must be 1..65535");
    }
    host_and_port = rest.substr(0, close + 1);
  } else {
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos) {
      port_text = rest.substr(colon + 1);
      if (!parse_port(port_text, parsed.port)) return invalid(uri, "port must be 1..65535");
      rest = rest.substr(0, colon);
    }
    parsed.host = std::string(rest);
    host_and_port = rest;
  }
  if (parsed.host.empty()) return invalid(uri, "missing host");
  for (char c : parsed.host) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '@') return invalid(uri, "bad character in host");
  }

  parsed.paho_uri = std::string(scheme->paho_prefix) + std::string(host_and_port) + ":" + std::to_string(parsed.port) +
                    std::string(path);
  return parsed;
}

}  // namespace docklink::ports::paho
