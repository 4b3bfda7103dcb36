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

/// Serialises a JSON value compactly.
inline std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace docklink::detail
