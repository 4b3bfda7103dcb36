// Parsing and normalising the broker URI given to PahoTransport.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "docklink/status.hpp"

namespace docklink::ports::paho {

/// A broker address split into what the transport needs.
struct ServerUri {
  std::string paho_uri;  ///< What Paho is given (mqtts:// rewritten to ssl://, default port filled in).
  std::string host;      ///< Host name or literal address (IPv6 without brackets).
  std::uint16_t port = 0;
  bool tls = false;        ///< ssl:// or wss://
  bool websocket = false;  ///< ws:// or wss://
};

/// Parses tcp://, ssl://, mqtts://, ws:// and wss:// URIs; anything else is kInvalidArgument.
Result<ServerUri> parse_server_uri(std::string_view uri);

}  // namespace docklink::ports::paho
