// drc/down: checked by the validator (the thing model's drc_down) before the DRC handler runs. DRC has no
// tid and, for most commands, no reply: a refused command is counted and logged at a bounded rate, and answered
// on drc/up only when its reply carries a result.
#include "client_core.hpp"
#include "docklink/result_codes.hpp"
#include "inbound_item.hpp"
#include "json_checks.hpp"

namespace docklink::detail {

void ClientCore::handle_drc(std::shared_ptr<InboundItem> item) {
  const InboundEnvelope& envelope = item->envelope;
  if (options_.validator != nullptr) {
    std::string message;  // stays empty (no allocation) for a valid command
    const std::int32_t verdict =
        options_.validator->validate_drc(envelope.method(), envelope.has_seq(), envelope.data(), message);
    if (verdict != 0) {
      {
        Lock lock(*this);
        ++counters_.malformed;
      }
      refuse_drc(envelope, verdict, message);
      return;
    }
  }
  std::function<void(const DrcMessage&)> handler;
  {
    Lock lock(*this);
    handler = drc_handler_;
  }
  if (!handler) return;
  run_user([handler, item] {
    DrcMessage message{item->envelope.method(), item->envelope.has_seq(), item->envelope.seq(), item->envelope.data()};
    handler(message);
  });
}

void ClientCore::refuse_drc(const InboundEnvelope& envelope, std::int32_t code, std::string_view why) {
  std::uint64_t held_back = 0;
  bool write;
  {
    Lock lock(*this);
    ++counters_.drc_refused;
    write = drc_refused_log_.allow(now_ms(), held_back);
  }
  const bool answer = options_.validator != nullptr && options_.validator->drc_refusal_answered(envelope.method());
  if (write) {
    log(port::LogLevel::kWarn, {"refused drc/down ", clipped(envelope.method()), ": ", clipped(why, 160), "; ",
                                std::to_string(held_back), " more refused since the previous such line"});
  }
  if (!answer) return;
  const std::string data = concat({"{\"result\":", std::to_string(code), "}"});
  Status sent = publish_drc(envelope.method(), data, envelope.has_seq() ? envelope.seq() : -1);
  if (sent) {
    Lock lock(*this);
    ++counters_.error_replies;
  }
}

}  // namespace docklink::detail
