// An inbound message after topic parsing and envelope decoding, shared between the client's strands.
#pragma once

#include <string>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "docklink/envelope.hpp"
#include "docklink/topics.hpp"

namespace docklink::detail {

/// A decoded inbound message.
struct InboundItem {
  TopicKind kind = TopicKind::kServices;
  std::string sn;
  InboundEnvelope envelope;
};

/// Serialises a JSON value compactly into `out`. False when JSON text cannot hold it (a number too big for a
/// double decodes to infinity); `out` is then empty rather than truncated.
inline bool json_text(const rapidjson::Value& value, std::string& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  if (!value.Accept(writer)) {
    out.clear();
    return false;
  }
  out.assign(buffer.GetString(), buffer.GetSize());
  return true;
}

}  // namespace docklink::detail
