// Inbound validation hook: lets the thing-model layer (or an application) reject bad commands before any
// handler runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "docklink/export.hpp"

namespace docklink {

/// Checks inbound services and property sets. Called on a dispatcher thread; must be thread-safe and quick.
class DOCKLINK_API InboundValidator {
 public:
  virtual ~InboundValidator() = default;
  /// 0 when the call may run; else a protocol result code (325001 for bad parameters) and a message.
  virtual std::int32_t validate_service(std::string_view method, const rapidjson::Value& data,
                                        std::string& message) const = 0;
  /// 0 when `value` may be written to the property at `path` ("a.b" for nested ones); else a result code.
  virtual std::int32_t validate_property(std::string_view path, const rapidjson::Value& value,
                                         std::string& message) const = 0;
};

}  // namespace docklink
