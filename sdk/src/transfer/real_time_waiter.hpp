// The waiter an engine uses when the application gave none: real time, woken early by a stop request.
#pragma once

#include "docklink/transfer/transfer_control.hpp"

namespace docklink::transfer::detail {

/// `given`, or a shared stateless waiter that waits in real time through TransferControl::wait_ms.
TransferWaiter& waiter_or_real_time(TransferWaiter* given);

}  // namespace docklink::transfer::detail
