// Inbound path: the transport thread only copies and posts; decoding and routing run on the client's internal
// strand; user code (handlers, setters) runs on its user strand.
#include "client_core.hpp"
#include "docklink/result_codes.hpp"
#include "inbound_item.hpp"

namespace docklink::detail {
namespace {

/// The topic that answers a message sent on `kind`.
TopicKind reply_topic_of(TopicKind kind) {
  switch (kind) {
    case TopicKind::kEvents:
      return TopicKind::kEventsReply;
    case TopicKind::kRequests:
      return TopicKind::kRequestsReply;
    case TopicKind::kStatus:
      return TopicKind::kStatusReply;
    default:
      return kind;  // no reply topic: nothing answers it
  }
}

}  // namespace

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
  auto parsed = parse_topic(topic_name);
  const bool for_handlers =
      parsed && (parsed.value().kind == TopicKind::kServices || parsed.value().kind == TopicKind::kPropertySet ||
                 parsed.value().kind == TopicKind::kDrcDown);
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
  auto parsed = parse_topic(topic_name);
  if (!parsed) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {"ignored message on bad topic: ", parsed.status().message()});
    return;
  }
  TopicKind kind = parsed.value().kind;
  bool owned;
  {
    Lock lock(*this);
    owned = owns_sn(parsed.value().sn);
    if (owned) ++counters_.messages_in[static_cast<std::size_t>(kind)];
    if (!owned) ++counters_.foreign_sn;
  }
  if (!owned) {
    log(port::LogLevel::kDebug, {"ignored message for foreign SN on ", to_string(kind)});
    return;
  }
  if (!is_downlink(kind)) {
    Lock lock(*this);
    ++counters_.malformed;
    log_locked(port::LogLevel::kWarn, {"ignored uplink-only topic kind ", to_string(kind)});
    return;
  }

  auto item = std::make_shared<InboundItem>();
  item->kind = kind;
  item->sn = std::string(parsed.value().sn);
  Status status = decode_envelope(payload, options_.limits, item->envelope);
  if (refuse_misrouted(*item)) return;
  if (!status) {
    {
      Lock lock(*this);
      ++counters_.malformed;
    }
    // DRC runs at 10+ Hz: its refusals are logged at a bounded rate.
    if (kind == TopicKind::kDrcDown) {
      refuse_drc(item->envelope, result_code::kInvalidParameter, status.message());
      return;
    }
    log(port::LogLevel::kWarn, {"malformed ", to_string(kind), ": ", status.message()});
    if (kind == TopicKind::kServices) {
      reply_error(TopicKind::kServicesReply, item->envelope, result_code::kInvalidParameter, status.message());
    } else if (kind == TopicKind::kPropertySet) {
      reply_error(TopicKind::kPropertySetReply, item->envelope, result_code::kInvalidParameter, status.message());
    }
    return;
  }
  route(std::move(item));
}

bool ClientCore::refuse_misrouted(const InboundItem& item) {
  // A sub-device has its own state_reply, and its writable properties may be set on its own SN; every other
  // downlink topic exists for the gateway only (the aircraft's commands and replies go through the dock).
  if (item.sn == options_.gateway.sn || item.kind == TopicKind::kStateReply || item.kind == TopicKind::kPropertySet) {
    return false;
  }
  {
    Lock lock(*this);
    ++counters_.misrouted;
  }
  log(port::LogLevel::kWarn, {"refused ", to_string(item.kind), " on sub-device SN ", item.sn,
                              ": the protocol defines that topic for the gateway only"});
  if (item.kind == TopicKind::kServices) {
    reply_error(TopicKind::kServicesReply, item.envelope, result_code::kInvalidParameter,
                "services are addressed to the gateway SN");
  }
  return true;
}

void ClientCore::route(std::shared_ptr<InboundItem> item) {
  switch (item->kind) {
    case TopicKind::kServices:
      handle_service(std::move(item));
      break;
    case TopicKind::kPropertySet:
      handle_property_set(std::move(item));
      break;
    case TopicKind::kEventsReply:
    case TopicKind::kRequestsReply:
    case TopicKind::kStatusReply:
      handle_reply(item->kind, item->envelope);
      break;
    case TopicKind::kDrcDown:
      handle_drc(std::move(item));
      break;
    default:  // state_reply: nothing to do beyond counting
      break;
  }
}

void ClientCore::reply_error(TopicKind reply_kind, const InboundEnvelope& envelope, std::int32_t code,
                             const std::string& why) {
  // Without a tid the cloud could not match a reply, so none is sent; the message was logged and counted.
  // Ids the decoder refused (over-long ones) read as empty here, so they are never echoed.
  if (envelope.tid().empty()) return;
  std::string data;
  std::string output = "\"";
  for (char c : why) {
    if (c == '"' || c == '\\') output += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) output += c;
  }
  output += '"';
  const bool service = reply_kind == TopicKind::kServicesReply;
  encode_result_data(code, service ? std::string_view(output) : std::string_view(), data);
  if (reply_kind == TopicKind::kPropertySetReply) data = concat({"{\"result\":", std::to_string(code), "}"});
  OutboundEnvelope reply;
  reply.tid = envelope.tid();
  reply.bid = envelope.bid();
  reply.timestamp = platform_.clock->wall_ms();
  reply.method = envelope.method();
  reply.keep_empty_method = service && envelope.has_method();  // an empty method is echoed as it came
  reply.data_json = data;
  std::string payload;
  encode_envelope(reply, payload);
  {
    Lock lock(*this);
    ++counters_.error_replies;
  }
  transmit(make_uplink(UplinkClass::kReply, reply_kind, options_.gateway.sn, {}, std::string(envelope.method()),
                       std::move(payload)));
}

void ClientCore::handle_reply(TopicKind kind, const InboundEnvelope& envelope) {
  std::string tid(envelope.tid());
  bool known;
  bool other_topic = false;
  {
    Lock lock(*this);
    auto pending = pending_.find(tid);
    known = pending != pending_.end();
    // A reply answers only a message of its own topic: an events_reply never acknowledges a request.
    other_topic = known && reply_topic_of(pending->second.uplink.kind) != kind;
    if (!known) ++counters_.unmatched_replies;
    if (other_topic) ++counters_.misrouted;
  }
  if (!known || other_topic) {
    log(other_topic ? port::LogLevel::kWarn : port::LogLevel::kDebug,
        {other_topic ? "ignored reply on another topic: " : "unmatched ", to_string(kind), " tid ", tid});
    return;
  }
  Reply reply;
  const rapidjson::Value& data = envelope.data();
  auto result = data.IsObject() ? data.FindMember("result") : data.MemberEnd();
  const char* malformed = nullptr;
  if (data.IsObject() && result != data.MemberEnd() && result->value.IsInt()) {
    reply.result = result->value.GetInt();
    auto output = data.FindMember("output");
    if (output != data.MemberEnd() && !json_text(output->value, reply.output_json)) malformed = " output not JSON-safe";
  } else if (kind == TopicKind::kRequestsReply && data.IsObject() && result == data.MemberEnd()) {
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
