// Typed service handlers: the handler receives the service's generated parameter struct (docklink/generated/...)
// instead of raw JSON, e.g. on_service<dock2::CoverOpen>(client, handler).
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "docklink/client.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/service.hpp"

namespace docklink {

/// A handler of a typed service: the decoded parameters and the call (for tid, bid and start_job()).
template <class Params>
using TypedServiceHandler = std::function<ServiceReply(const Params& params, ServiceCall& call)>;

/// Registers `handler` for the service `Params::kMethod`. The call's data is decoded into `Params` first (with the
/// generated from_json, found by argument-dependent lookup); data that does not decode is answered 325001 and the
/// handler does not run.
template <class Params>
void on_service(Client& client, TypedServiceHandler<Params> handler) {
  client.on_service(Params::kMethod, [handler = std::move(handler)](ServiceCall& call) {
    Params params{};
    std::string error;
    if (!from_json(call.data(), params, &error)) return ServiceReply::error(result_code::kInvalidParameter);
    return handler(params, call);
  });
}

}  // namespace docklink
