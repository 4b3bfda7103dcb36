// Typed requests: sends a generated request struct (docklink/generated/..., e.g. FlighttaskResourceGetRequest)
// under its method and hands the callback the reply's output decoded into the generated reply struct, instead of
// JSON built and read by hand with string keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "docklink/client.hpp"
#include "docklink/generated/json_support.hpp"
#include "docklink/typed_event.hpp"

namespace docklink {

/// The outcome of a typed request: the Reply with its output decoded.
template <class Output>
struct TypedReply {
  /// As Reply::status (ok when a reply came with result 0, kRejected with another result; kTimeout, kShutdown...
  /// when none came), except kMalformed when an ok reply's output does not fit `Output`.
  Status status;
  std::int32_t result = -1;      ///< data.result of the reply (0 success); -1 when there was no reply.
  std::optional<Output> output;  ///< The decoded output; set when the reply came with result 0 and an output.
};

/// Decodes `reply` for a request whose reply output is an `Output` (flat replies such as `config`: the whole data).
/// A refused request (kRejected, result not 0) keeps its result and no output: what a refusal carries is not one.
template <class Output>
TypedReply<Output> decode_reply(const Reply& reply) {
  TypedReply<Output> typed{reply.status, reply.result, std::nullopt};
  if (!reply.status || reply.result != 0 || reply.output_json.empty() || reply.output_json == "null") return typed;
  rapidjson::Document document;
  document.Parse(reply.output_json.c_str(), reply.output_json.size());
  std::string error;
  Output output;
  if (document.HasParseError()) {
    error = "not JSON";
  } else if (from_json(document, output, &error)) {
    typed.output = std::move(output);
    return typed;
  }
  typed.status = Status(StatusCode::kMalformed, "the reply's output does not fit: " + error);
  return typed;
}

/// Called with the outcome of a typed request. Runs on a dispatcher thread, like every ReplyCallback.
template <class Output>
using TypedReplyCallback = std::function<void(const TypedReply<Output>& reply)>;

/// Sends `request` on `requests` under `Request::kMethod` with its fields as `data` (unset optional fields left
/// out), as Client::send_request does, and hands `done` the reply decoded as an `Output`: name the request's
/// generated reply type, e.g. `send_request<dock2::FlighttaskResourceGetRequestReply>(client, request, done)`.
/// `timeout` 0: the default.
template <class Output, class Request>
Status send_request(Client& client, const Request& request, TypedReplyCallback<Output> done,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) {
  return client.send_request(
      Request::kMethod, event_data_json(request),
      [done = std::move(done)](const Reply& reply) {
        if (done) done(decode_reply<Output>(reply));
      },
      timeout);
}

}  // namespace docklink
