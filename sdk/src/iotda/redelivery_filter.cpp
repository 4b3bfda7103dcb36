// The IoTDA redelivery filter: the DJI tid cache keyed by request id, the topic kind standing in for the method.
#include "redelivery_filter.hpp"

namespace docklink::iotda::detail {
namespace {

/// The IoTDA topic an inbound item came on; kMessageDown (no request id, never kept) for the kinds not filtered.
TopicKind topic_of(const docklink::detail::InboundItem& item) {
  using docklink::detail::InboundKind;
  switch (item.kind) {
    case InboundKind::kCommand:
      return TopicKind::kCommand;
    case InboundKind::kPropertySet:
      return TopicKind::kPropertySet;
    case InboundKind::kPropertyGet:
      return TopicKind::kPropertyGet;
    case InboundKind::kSystemEvent:  // its tid: the event_id, or a key of its payload
      return TopicKind::kEventsDown;
    default:
      return TopicKind::kMessageDown;
  }
}

/// Kinds whose repeats are recognised: those with a request id, and system events (by event id or payload).
bool kept(TopicKind kind) { return has_request_id(kind) || kind == TopicKind::kEventsDown; }

}  // namespace

RedeliveryFilter::Seen RedeliveryFilter::admit(TopicKind kind, std::string_view request_id, std::int64_t now_ms,
                                               std::string* answer) {
  if (!kept(kind) || request_id.empty()) return Seen::kNew;
  const Seen seen = cache_.lookup(request_id, to_string(kind), now_ms, answer);
  if (seen == Seen::kNew) cache_.begin(request_id, to_string(kind), now_ms);
  return seen;
}

void RedeliveryFilter::answered(TopicKind kind, std::string_view request_id, std::string answer) {
  if (!kept(kind) || request_id.empty()) return;
  cache_.complete(request_id, to_string(kind), std::move(answer));
}

}  // namespace docklink::iotda::detail

namespace docklink::iotda::detail {

RedeliveryFilter::Seen RedeliveryFilter::admit(const InboundItem& item, std::int64_t now_ms, std::string* answer) {
  return admit(topic_of(item), item.tid, now_ms, answer);
}

void RedeliveryFilter::answered(const InboundItem& item, std::string answer) {
  answered(topic_of(item), item.tid, std::move(answer));
}

}  // namespace docklink::iotda::detail
