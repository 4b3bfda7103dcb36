// TCP_NODELAY for Paho's broker socket, which Paho C neither sets nor exposes (docs/toolchain-notes.md#p3).
#pragma once

#include <cstdint>

namespace docklink::ports::paho {

/// Sets TCP_NODELAY on every TCP socket of this process whose peer port is `broker_port`, and returns how
/// many sockets now have it. Scans /proc/self/fd (falls back to descriptors 0..1023 without /proc). In a
/// process with several clients of the same broker all of their sockets get it, which is what they want.
int set_tcp_nodelay_to_peer_port(std::uint16_t broker_port) noexcept;

/// Sets TCP_NODELAY on `fd` when it is a stream socket; true when it now has it.
bool set_tcp_nodelay(int fd) noexcept;

}  // namespace docklink::ports::paho
