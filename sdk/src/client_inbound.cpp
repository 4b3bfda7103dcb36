// Inbound path: the transport thread only copies and posts; decoding and routing run on the client's internal
// strand; user code (handlers, setters) runs on its user strand.
#include "client_core.hpp"
#include "docklink/result_codes.hpp"
#include "inbound_item.hpp"

namespace docklink::detail {
// Paho has acknowledged the message already, so whatever is refused here is lost: it is refused before anything is
// copied (an oversized payload, or one that does not fit this client's share of the inbound queue or the
// process's), and every refusal is counted and, rate-limited, logged.
void ClientCore::on_message(std::string_view topic_name, std::string_view payload) {
  if (payload.size() > options_.limits.max_payload_bytes) {
    drop_inbound(InboundRefusal::kOversized, payload.size());
    return;
  }
  const std::size_t bytes = topic_name.size() + payload.size();
  InboundTicket ticket;
  InboundRefusal refusal = take_inbound(inbound_share_, inbound_process_, bytes, ticket);
  if (refusal != InboundRefusal::kNone) {
    drop_inbound(refusal, bytes);
    return;
  }
  // Commands for handlers are decoded on the user strand, so their handler runs right after without a second
  // hand-off between threads (half of a service round trip's latency); replies are the SDK's own business.
  auto route = profile_.classify(topic_name);
  const bool for_handlers =
      route && !route.value().uplink_only &&
      (route.value().kind == InboundKind::kCommand || route.value().kind == InboundKind::kPropertySet ||
       route.value().kind == InboundKind::kPropertyGet || route.value().kind == InboundKind::kRemoteControl);
  Strand& strand = for_handlers ? *user_ : *internal_;
  // The message holds its budget until its task has run (or was dropped by stop()).
  auto message =
      std::make_shared<QueuedInbound>(QueuedInbound{std::string(topic_name), std::string(payload), std::move(ticket)});
  auto self = shared_from_this();
  if (!strand.post([self, message] { self->handle_message(message->topic, message->payload); })) {
    Lock lock(*this);  // refused only by a closed strand: the client is stopping
    ++counters_.inbound_dropped;
    counters_.inbound_dropped_bytes += bytes;
  }
}

void ClientCore::drop_inbound(InboundRefusal why, std::size_t bytes) {
  std::uint64_t held_back = 0;
  bool write;
  {
    Lock lock(*this);
    if (why == InboundRefusal::kOversized) {
      ++counters_.inbound_oversized;
      ++counters_.malformed;
    } else {
      ++counters_.inbound_dropped;
      counters_.inbound_dropped_bytes += bytes;
    }
    write = inbound_drop_log_.allow(now_ms(), held_back);
  }
  if (!write) return;
  const char* reason = why == InboundRefusal::kOversized     ? "payload over the size limit"
                       : why == InboundRefusal::kClientShare ? "this client's inbound queue share is full"
                                                             : "the process's inbound queue is full";
  log(port::LogLevel::kWarn, {"inbound message dropped (", reason, ", ", std::to_string(bytes), " bytes); ",
                              std::to_string(held_back), " more dropped since the previous such line"});
}

void ClientCore::handle_message(const std::string& topic_name, const std::string& payload) {
  auto route = profile_.classify(topic_name);
  if (!route) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {"ignored message on bad topic: ", route.status().message()});
    return;
  }
  const TopicKind kind = route.value().topic_kind;
  bool owned;
  {
    Lock lock(*this);
    owned = owns_sn(route.value().device);
    if (owned) ++counters_.messages_in[static_cast<std::size_t>(kind)];
    if (!owned) ++counters_.foreign_sn;
  }
  if (!owned) {
    log(port::LogLevel::kDebug, {"ignored message for foreign SN on ", to_string(kind)});
    return;
  }
  if (route.value().uplink_only) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {"ignored uplink-only topic kind ", to_string(kind)});
    return;
  }

  auto item = std::make_shared<InboundItem>();
  item->kind = route.value().kind;
  item->topic_kind = kind;
  item->sn = std::string(route.value().device);
  Status status = profile_.decode(topic_name, payload, options_.limits, *item);
  if (refuse_misrouted(*item)) return;
  if (!status) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    // DRC runs at 10+ Hz: its refusals are logged at a bounded rate.
    if (item->kind == InboundKind::kRemoteControl) {
      refuse_drc(item->envelope, result_code::kInvalidParameter, status.message());
      return;
    }
    log(port::LogLevel::kWarn, {"malformed ", to_string(kind), ": ", status.message()});
    if (item->kind == InboundKind::kCommand || item->kind == InboundKind::kPropertySet) {
      reply_error(*item, result_code::kInvalidParameter, status.message());
    }
    return;
  }
  route_item(std::move(item));
}

bool ClientCore::refuse_misrouted(const InboundItem& item) {
  // A sub-device has its own state_reply, and its properties may be set (and, on IoTDA, read) on its own SN; every
  // other downlink topic exists for the gateway only (the aircraft's commands and replies go through the dock).
  if (item.sn == options_.gateway.sn || item.topic_kind == TopicKind::kStateReply ||
      item.kind == InboundKind::kPropertySet || item.kind == InboundKind::kPropertyGet) {
    return false;
  }
  {
    Lock lock(*this);
    ++counters_.misrouted;
  }
  log(port::LogLevel::kWarn, {"refused ", to_string(item.topic_kind), " on sub-device SN ", item.sn,
                              ": the protocol defines that topic for the gateway only"});
  if (item.kind == InboundKind::kCommand) {
    reply_error(item, result_code::kInvalidParameter, "services are addressed to the gateway SN");
  }
  return true;
}

void ClientCore::route_item(std::shared_ptr<InboundItem> item) {
  switch (item->kind) {
    case InboundKind::kCommand:
      handle_service(std::move(item));
      break;
    case InboundKind::kPropertySet:
      handle_property_set(std::move(item));
      break;
    case InboundKind::kReply:
      handle_reply(*item);
      break;
    case InboundKind::kPropertyGet:
      handle_property_get(*item);
      break;
    case InboundKind::kRemoteControl:
      handle_drc(std::move(item));
      break;
    case InboundKind::kDesired:
      handle_desired(std::move(item));
      break;
    case InboundKind::kClockSync:
      handle_clock_sync(*item);
      break;
    case InboundKind::kSystemEvent:
      handle_system_event(std::move(item));
      break;
    default:  // acknowledgements only (state_reply): nothing to do beyond counting
      break;
  }
}

void ClientCore::reply_error(const InboundItem& item, std::int32_t code, std::string_view why) {
  // Without a tid the cloud could not match a reply, so none is sent; the message was logged and counted.
  // Ids the decoder refused (over-long ones) read as empty here, so they are never echoed.
  if (item.tid.empty()) return;
  OutboundText answer;
  profile_.encode_error_reply(item, code, why, uplink_fields({}, {}, {}), answer);
  {
    Lock lock(*this);
    ++counters_.error_replies;
    duplicates_->answered(item, answer.payload);  // a repeat of a refused set is refused again from the cache
  }
  const TopicKind kind = item.kind == InboundKind::kCommand ? TopicKind::kServicesReply : TopicKind::kPropertySetReply;
  send_answer(kind, item.method, std::move(answer));
}

void ClientCore::handle_reply(const InboundItem& item) {
  const TopicKind kind = item.topic_kind;
  std::string tid(item.tid);
  bool known;
  bool other_topic = false;
  TopicKind sent = TopicKind::kEvents;
  {
    Lock lock(*this);
    if (item.answers_topology) tid = topology_tid_;
    auto pending = pending_.find(tid);
    known = pending != pending_.end();
    if (known) sent = pending->second.uplink.kind;
    // A reply answers only a message of its own topic: an events_reply never acknowledges a request.
    other_topic = known && !profile_.answers(sent, kind);
    if (!known) ++counters_.unmatched_replies;
    if (other_topic) ++counters_.misrouted;
  }
  if (!known || other_topic) {
    log(other_topic ? port::LogLevel::kWarn : port::LogLevel::kDebug,
        {other_topic ? "ignored reply on another topic: " : "unmatched ", to_string(kind), " tid ", tid});
    return;
  }
  Reply reply;
  const rapidjson::Value& data = *item.data;
  auto result = data.IsObject() ? data.FindMember("result") : data.MemberEnd();
  const char* malformed = nullptr;
  if (data.IsObject() && result != data.MemberEnd() && result->value.IsInt()) {
    reply.result = result->value.GetInt();
    auto output = data.FindMember("output");
    if (output != data.MemberEnd() && !json_text(output->value, reply.output_json)) malformed = " output not JSON-safe";
  } else if (sent == TopicKind::kRequests && data.IsObject() && result == data.MemberEnd()) {
    reply.result = 0;  // flat reply (config): the whole data is the output
    if (!json_text(data, reply.output_json)) malformed = " output not JSON-safe";
  } else {
    malformed = " without an integer result";
  }
  if (malformed != nullptr) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {to_string(kind), malformed, ", tid ", tid});
    reply.result = result_code::kInvalidParameter;
  }
  reply.status = reply.result == 0
                     ? Status::ok()
                     : Status(StatusCode::kRejected, concat({"cloud answered result ", std::to_string(reply.result)}));
  complete_pending(tid, std::move(reply));
}

}  // namespace docklink::detail
