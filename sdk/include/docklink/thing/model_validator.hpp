// Plugs thing-model validation into the client's InboundValidator hook.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/thing/thing_model.hpp"
#include "docklink/validator.hpp"

namespace docklink::thing {

/// An InboundValidator for one gateway: services and DRC commands are checked against the dock model; property
/// writes against the dock model, then the aircraft model (aircraft properties arrive on the dock SN,
/// docs/protocol.md#property-set).
/// Immutable, thread-safe.
class DOCKLINK_API ModelInboundValidator final : public InboundValidator {
 public:
  /// `dock` is required; `aircraft` may be null (no aircraft properties accepted then).
  ModelInboundValidator(std::shared_ptr<const ThingModel> dock, std::shared_ptr<const ThingModel> aircraft);

  /// See InboundValidator::validate_service.
  std::int32_t validate_service(std::string_view method, const rapidjson::Value& data,
                                std::string& message) const override;
  /// See InboundValidator::validate_property.
  std::int32_t validate_property(std::string_view path, const rapidjson::Value& value,
                                 std::string& message) const override;
  /// See InboundValidator::validate_drc (thing::validate_drc_down against the dock model).
  std::int32_t validate_drc(std::string_view method, bool has_seq, const rapidjson::Value& data,
                            std::string& message) const override;
  /// True when the dock model gives `method` a drc/up reply with a result.
  bool drc_refusal_answered(std::string_view method) const override;

 private:
  std::shared_ptr<const ThingModel> dock_;
  std::shared_ptr<const ThingModel> aircraft_;
};

}  // namespace docklink::thing
