// Inbound validation hook: lets the thing-model layer (or an application) reject bad commands before any
// handler runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "docklink/export.hpp"

namespace docklink {

/// Checks inbound services, property sets and DRC commands. Called on a dispatcher thread; must be thread-safe and
/// quick.
class DOCKLINK_API InboundValidator {
 public:
  virtual ~InboundValidator() = default;
  /// 0 when the call may run; else a protocol result code (325001 for bad parameters) and a message.
  virtual std::int32_t validate_service(std::string_view method, const rapidjson::Value& data,
                                        std::string& message) const = 0;
  /// 0 when `value` may be written to the property at `path` ("a.b" for nested ones); else a result code.
  virtual std::int32_t validate_property(std::string_view path, const rapidjson::Value& value,
                                         std::string& message) const = 0;
  /// 0 when a drc/down command may reach the DRC handler; else a result code (325001 for a bad command) and a
  /// message. `has_seq` says whether an integer top-level `seq` came with it. Runs at the DRC rate (10+ Hz), so
  /// it should not allocate for a valid command. The default accepts every command.
  virtual std::int32_t validate_drc(std::string_view method, bool has_seq, const rapidjson::Value& data,
                                    std::string& message) const {
    (void)method, (void)has_seq, (void)data, (void)message;
    return 0;
  }
  /// True when the drc/up answer of `method` carries a result (drone_control, drone_emergency_stop, ...), so a
  /// refused command is answered with its code; other refusals are only logged and counted, DRC having no other
  /// way back. The default answers none.
  virtual bool drc_refusal_answered(std::string_view method) const {
    (void)method;
    return false;
  }
};

}  // namespace docklink
