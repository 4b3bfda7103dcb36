// DRC messages (docs/protocol.md#drc-messages) against the model's drc_down / drc_up. The yes/no check allocates
// nothing; only a refusal pays for its message, built by validate_value() with the path of the bad value.
#include <string>

#include <rapidjson/document.h>

#include "concat.hpp"
#include "docklink/thing/validation.hpp"
#include "value_conforms.hpp"

namespace docklink::thing {

using docklink::detail::concat;

namespace {

ValidationResult invalid(std::string message) {
  return ValidationResult{result_code::kInvalidParameter, std::move(message)};
}

// docs/protocol.md#tolerance, kept for DRC: a message without data fields may carry {}, "" or null.
bool empty_data(const rapidjson::Value& data) {
  return data.IsNull() || (data.IsString() && data.GetStringLength() == 0);
}

ValidationResult check_data(std::string_view method, bool has_spec, const TypeSpec& spec,
                            const rapidjson::Value& data) {
  if (!has_spec) {
    if (empty_data(data) || data.IsObject()) return {};
    return invalid(concat({"wrong type at 'data': ", method, " takes no data fields"}));
  }
  static const rapidjson::Value kNoFields(rapidjson::kObjectType);
  const rapidjson::Value& value = empty_data(data) ? kNoFields : data;
  if (docklink::detail::value_conforms(spec, value)) return {};
  ValidationResult result = validate_value(spec, value, "data");
  // The two checks apply the same rules; should they ever differ, the cheap one decides and says so.
  if (result.ok()) return invalid(concat({"data of ", method, " does not fit the model"}));
  return result;
}

}  // namespace

ValidationResult validate_drc_down(const ThingModel& model, std::string_view method, bool has_seq,
                                   const rapidjson::Value& data) {
  const DrcMethodDef* def = model.drc_down(method);
  if (def == nullptr) return invalid(concat({"unknown DRC method '", method, "' for ", model.model_key()}));
  if (def->seq_required && !has_seq) return invalid(concat({method, " needs an integer seq"}));
  return check_data(method, def->has_data, def->data, data);
}

ValidationResult validate_drc_up(const ThingModel& model, std::string_view method, const rapidjson::Value& data) {
  if (const DrcMethodDef* push = model.drc_up(method)) return check_data(method, push->has_data, push->data, data);
  const DrcMethodDef* command = model.drc_down(method);
  if (command == nullptr || !command->has_reply) {
    return invalid(concat({"'", method, "' is no DRC push or reply of ", model.model_key()}));
  }
  return check_data(method, true, command->reply, data);
}

}  // namespace docklink::thing
