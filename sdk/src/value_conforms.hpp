// An allocation-free yes/no check of a value against a thing-model type spec, for paths that run at high rates
// (drc/down at 10+ Hz). It applies exactly the rules of thing::validate_value(), which builds the message
// (with the path of the bad value) and is run only once a value has failed here.
#pragma once

#include <rapidjson/document.h>

#include "docklink/thing/type_spec.hpp"

namespace docklink::detail {

/// True when thing::validate_value(spec, value, ...) would pass. Allocates nothing.
bool value_conforms(const thing::TypeSpec& spec, const rapidjson::Value& value) noexcept;

}  // namespace docklink::detail
