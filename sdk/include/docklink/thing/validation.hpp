// Checks inbound service calls and property sets against a thing model before any handler runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "docklink/export.hpp"
#include "docklink/result_codes.hpp"
#include "docklink/thing/thing_model.hpp"

namespace docklink::thing {

/// The property/set result for a write to a read-only property: the protocol's "failed" (1), deliberately distinct
/// from 325001 so a cloud can tell "not writable" from "bad value".
inline constexpr std::int32_t kPropertyReadOnly = result_code::kPropertyFailed;

/// Outcome of a validation: code 0, or a protocol result code plus a precise message.
struct ValidationResult {
  std::int32_t code = result_code::kSuccess;  ///< 0 or e.g. 325001.
  std::string message;                        ///< What is wrong and where; empty when ok.
  /// True when the value passed.
  bool ok() const noexcept { return code == result_code::kSuccess; }
};

/// The result of one leaf of a property set, e.g. path {"distance_limit_status", "state"}.
struct PropertySetResult {
  std::vector<std::string> path;  ///< Property name, then nested field names down to the leaf.
  std::int32_t code = 0;          ///< 0 ok to apply, 325001 invalid, kPropertyReadOnly not writable.
  std::string message;            ///< Why, when code is non-zero.
};

/// Per-leaf results of one property set, in input order.
using PropertySetResults = std::vector<PropertySetResult>;

/// Checks `value` against `spec`; `where` names the value in messages (e.g. "data.action").
DOCKLINK_API ValidationResult validate_value(const TypeSpec& spec, const rapidjson::Value& value,
                                             std::string_view where);

/// Checks a service call: unknown method, missing required field, wrong type, out-of-range number, value not in
/// enum, unknown field of a closed struct all give 325001. Parameterless services accept {}, "" and null
/// (docs/protocol.md#tolerance).
DOCKLINK_API ValidationResult validate_service(const ThingModel& model, std::string_view method,
                                               const rapidjson::Value& data);

/// Checks a drc/down command (docs/protocol.md#drc-messages) against the model's `drc_down`: a method the model does
/// not list, a missing top-level `seq` where the model requires one, and data as for services (missing required field,
/// wrong type, out of range, not in enum) give 325001. Methods without data accept {}, "" and null. A valid message
/// costs no heap allocation (it runs at the DRC rate, 10+ Hz); the message of a refusal names what is wrong and where.
DOCKLINK_API ValidationResult validate_drc_down(const ThingModel& model, std::string_view method, bool has_seq,
                                                const rapidjson::Value& data);

/// Checks the data of a drc/up message a dock sends: a push the model lists in `drc_up`, or the answer to a
/// `drc_down` command with a reply. Same codes and costs as validate_drc_down.
DOCKLINK_API ValidationResult validate_drc_up(const ThingModel& model, std::string_view method,
                                              const rapidjson::Value& data);

/// Checks a property/set body (`{"height_limit":120}`, `{"distance_limit_status":{"state":1}}`): one result per
/// leaf in `out` (cleared first). Unknown property or field, wrong type, out of range, not in enum: 325001; a
/// read-only leaf: kPropertyReadOnly. Returns ok when every leaf is ok, else the first failure; a body that is not
/// a non-empty object, or that names a member twice in one object (at any depth), fails as a whole (325001, and
/// `out` stays empty). A member name holding a '.' is never a property or field: that leaf gets 325001.
DOCKLINK_API ValidationResult validate_property_set(const ThingModel& model, const rapidjson::Value& data,
                                                    PropertySetResults& out);

/// Same, for a gateway that owns several models (dock and aircraft properties arrive on the dock SN,
/// docs/protocol.md#property-set): each top-level property is checked against the first model in `models` that has it.
DOCKLINK_API ValidationResult validate_property_set(const std::vector<const ThingModel*>& models,
                                                    const rapidjson::Value& data, PropertySetResults& out);

/// Checks one leaf write: `path` is "prop" or "prop.field.sub". Same codes as validate_property_set.
DOCKLINK_API ValidationResult validate_property_write(const ThingModel& model, std::string_view path,
                                                      const rapidjson::Value& value);

/// Writes the property/set_reply `data` for `results`, e.g. {"distance_limit_status":{"state":{"result":0}}}, in
/// linear time. No object of the reply names a key twice: a result whose path was given before, or lies above or
/// below the path of an earlier result, is left out, and the function then returns false (true when every
/// result was written). Results from validate_property_set() never collide.
DOCKLINK_API bool compose_property_set_reply(const PropertySetResults& results, std::string& out_json);

}  // namespace docklink::thing
