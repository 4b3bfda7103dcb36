// The device shadow (IoTDA): read after every connect; its desired values go through the property setters, as a
// property set would, but nothing answers them (the cloud asked nothing).
#include "client_core.hpp"
#include "inbound_item.hpp"
#include "property_set_plan.hpp"

namespace docklink::detail {

void ClientCore::send_shadow_request() {
  // One request per connection: the connection's number is id enough, and draws nothing from the random source.
  std::string request_id;
  {
    Lock lock(*this);
    request_id = concat({"shadow-", std::to_string(epoch_)});
  }
  OutboundText request;
  if (!profile_.encode_shadow_request(request_id, request)) return;  // this cloud keeps no shadow (DJI)
  {
    Lock lock(*this);
    shadow_request_id_ = std::move(request_id);
  }
  Uplink uplink = make_uplink(UplinkClass::kEvent, TopicKind::kEvents, std::move(request.topic), {}, {},
                              std::move(request.payload));
  uplink.durable = false;  // asked again after the next connect
  transmit(std::move(uplink));
}

void ClientCore::handle_desired(std::shared_ptr<InboundItem> item) {
  {
    Lock lock(*this);
    if (shadow_request_id_.empty() || item->tid != shadow_request_id_) {
      ++counters_.unmatched_replies;  // an earlier connection's answer, or one never asked for
      return;
    }
    shadow_request_id_.clear();
  }
  if (!item->data->IsObject() || item->data->MemberCount() == 0) return;  // nothing desired
  auto setters = std::make_shared<std::vector<PropertySetter>>();
  auto plan = std::make_shared<PropertySetPlan>(plan_with_setters(*item->data, *setters));
  if (plan->refusal == 0) check_leaf_values(*plan);
  if (plan->refusal != 0) {
    log(port::LogLevel::kWarn, {"shadow desired values not applied: ", plan->why});
    return;
  }
  validate_property_leaves(item->tid, *plan);
  run_user([this, item, plan, setters] {
    std::size_t applied = 0;
    for (std::size_t i = 0; i < plan->leaves.size(); ++i) {
      const PropertySetLeaf& leaf = plan->leaves[i];
      if (leaf.verdict != 0) continue;  // no setter, or refused by the validator: left as the dock has it
      try {
        if ((*setters)[i](*leaf.value) == 0) ++applied;
      } catch (...) {
        log(port::LogLevel::kWarn, {"setter of ", leaf.key, " threw on a shadow desired value"});
      }
    }
    log(port::LogLevel::kInfo,
        {"shadow: ", std::to_string(applied), " of ", std::to_string(plan->leaves.size()), " desired values applied"});
  });
}

}  // namespace docklink::detail
