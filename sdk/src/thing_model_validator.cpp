// ModelInboundValidator: thing-model checks behind the client's InboundValidator hook.
#include <utility>

#include "concat.hpp"
#include "docklink/thing/model_validator.hpp"
#include "docklink/thing/validation.hpp"

namespace docklink::thing {

using docklink::detail::concat;

ModelInboundValidator::ModelInboundValidator(std::shared_ptr<const ThingModel> dock,
                                             std::shared_ptr<const ThingModel> aircraft)
    : dock_(std::move(dock)), aircraft_(std::move(aircraft)) {}

std::int32_t ModelInboundValidator::validate_service(std::string_view method, const rapidjson::Value& data,
                                                     std::string& message) const {
  if (!dock_) {
    message = "no dock model";
    return result_code::kInvalidParameter;
  }
  ValidationResult result = thing::validate_service(*dock_, method, data);
  message = std::move(result.message);
  return result.code;
}

std::int32_t ModelInboundValidator::validate_property(std::string_view path, const rapidjson::Value& value,
                                                      std::string& message) const {
  // Aircraft properties are set through the dock SN (docs/protocol.md#property-set): the owner is whichever model has
  // the property.
  const std::string_view name = path.substr(0, path.find('.'));
  const ThingModel* owner = nullptr;
  if (dock_ && dock_->property(name) != nullptr) {
    owner = dock_.get();
  } else if (aircraft_ && aircraft_->property(name) != nullptr) {
    owner = aircraft_.get();
  }
  if (owner == nullptr) {
    message = concat({"unknown property '", name, "'"});
    return result_code::kInvalidParameter;
  }
  ValidationResult result = validate_property_write(*owner, path, value);
  message = std::move(result.message);
  return result.code;
}

std::int32_t ModelInboundValidator::validate_drc(std::string_view method, bool has_seq, const rapidjson::Value& data,
                                                 std::string& message) const {
  if (!dock_) {
    message = "no dock model";
    return result_code::kInvalidParameter;
  }
  ValidationResult result = validate_drc_down(*dock_, method, has_seq, data);
  if (!result.ok()) message = std::move(result.message);
  return result.code;
}

bool ModelInboundValidator::drc_refusal_answered(std::string_view method) const {
  const DrcMethodDef* def = dock_ ? dock_->drc_down(method) : nullptr;
  return def != nullptr && def->reply_has_result;
}

}  // namespace docklink::thing
