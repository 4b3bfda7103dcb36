// A product's thing model (thing_models/*.json): its properties and, for docks, its services, events,
// requests and DRC methods. Loaded once, then shared read-only by validation and the property store.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "docklink/export.hpp"
#include "docklink/status.hpp"
#include "docklink/thing/type_spec.hpp"

namespace docklink::thing {

/// How a property reaches the cloud.
enum class PushMode : std::uint8_t {
  kOsd,    ///< push_mode 0: in the periodic `osd` message.
  kState,  ///< push_mode 1: in a `state` message when its group changed.
};

/// One property of a device.
struct PropertyDef {
  std::string name;                ///< Property key, e.g. "height_limit" or a payload index like "53-0-0".
  TypeSpec type;                   ///< Its value schema.
  PushMode push = PushMode::kOsd;  ///< osd or state.
  Access access = Access::kRead;   ///< kRead or kReadWrite (never kInherit).
  int osd_group = 0;               ///< For OSD properties: which of the device's OSD messages carries it.
  std::string state_group;         ///< For state properties: the group sent together in one state message.
};

/// One service (cloud -> dock command).
struct ServiceDef {
  std::string method;                  ///< e.g. "cover_open".
  bool is_job = false;                 ///< true: the reply accepts and progress events follow (docs/protocol.md#jobs).
  bool has_params = false;             ///< false: the service takes no parameters.
  TypeSpec params;                     ///< Parameter schema (a struct) when has_params.
  bool has_reply = false;              ///< true when the reply carries a data.output.
  TypeSpec reply;                      ///< Schema of data.output when has_reply.
  std::string progress_event;          ///< For jobs: the method of the progress events.
  std::vector<std::string> step_keys;  ///< For jobs: the step keys it reports, in order.
};

/// One event (dock -> cloud notification).
struct EventDef {
  std::string method;       ///< e.g. "hms".
  bool need_reply = false;  ///< The need_reply flag the dock sets.
  TypeSpec data;            ///< Schema of data.
};

/// One request (dock -> cloud question).
struct RequestDef {
  std::string method;  ///< e.g. "config".
  TypeSpec params;     ///< Schema of data.
  TypeSpec reply;      ///< Schema of the reply's data.output (data itself for "config").
};

/// One DRC method (docs/protocol.md#drc-messages): a drc/down command, with the drc/up reply it gets if any, or a
/// drc/up push.
struct DrcMethodDef {
  std::string method;         ///< e.g. "stick_control".
  bool seq_required = false;  ///< true: the message must carry an integer top-level `seq`.
  bool has_data = false;      ///< false: no data fields ({}, "" and null are accepted, as for services).
  TypeSpec data;              ///< Schema of data (a struct) when has_data.
  bool has_reply = false;     ///< drc/down only: the dock answers on drc/up.
  TypeSpec reply;             ///< Schema of the reply's data when has_reply.
  /// The reply carries data.result, so a refused command is answered with a non-zero result.
  bool reply_has_result = false;
};

/// An immutable, parsed thing model. Cheap lookups by name; copyable.
class DOCKLINK_API ThingModel {
 public:
  /// Parses a model whose `extends` has already been resolved (see load_embedded / load_file /
  /// resolve_model_json). Fails with kInvalidArgument when the text is not valid JSON, still has `extends`, or breaks
  /// the format (unknown type, dangling ref, ...).
  static Result<ThingModel> parse(std::string_view resolved_json);

  /// The model key, e.g. "3-2-0".
  const std::string& model_key() const noexcept { return model_key_; }
  /// The product name, e.g. "DJI Dock 2".
  const std::string& product() const noexcept { return product_; }
  /// The thing_version sent in update_topo.
  const std::string& thing_version() const noexcept { return thing_version_; }
  /// True for docks (gateways), false for aircraft.
  bool is_dock() const noexcept { return is_dock_; }
  /// How many OSD messages the device splits its OSD into (dock 3, aircraft 1).
  int osd_group_count() const noexcept { return osd_group_count_; }

  /// The property called `name`, or nullptr.
  const PropertyDef* property(std::string_view name) const noexcept;
  /// The service with this method, or nullptr.
  const ServiceDef* service(std::string_view method) const noexcept;
  /// The event with this method, or nullptr.
  const EventDef* event(std::string_view method) const noexcept;
  /// The request with this method, or nullptr.
  const RequestDef* request(std::string_view method) const noexcept;

  /// The drc/down command with this method, or nullptr.
  const DrcMethodDef* drc_down(std::string_view method) const noexcept;
  /// The drc/up push with this method, or nullptr.
  const DrcMethodDef* drc_up(std::string_view method) const noexcept;
  /// Seconds without heart_beat after which the dock leaves DRC (docs/protocol.md#drc-heartbeat); 0 when the model does
  /// not say.
  int drc_heartbeat_timeout_s() const noexcept { return drc_heartbeat_timeout_s_; }

  /// All properties by name.
  const std::map<std::string, PropertyDef, std::less<>>& properties() const noexcept { return properties_; }
  /// All services by method.
  const std::map<std::string, ServiceDef, std::less<>>& services() const noexcept { return services_; }
  /// All events by method.
  const std::map<std::string, EventDef, std::less<>>& events() const noexcept { return events_; }
  /// All requests by method.
  const std::map<std::string, RequestDef, std::less<>>& requests() const noexcept { return requests_; }
  /// All drc/down commands by method.
  const std::map<std::string, DrcMethodDef, std::less<>>& drc_down_methods() const noexcept { return drc_down_; }
  /// All drc/up pushes by method.
  const std::map<std::string, DrcMethodDef, std::less<>>& drc_up_methods() const noexcept { return drc_up_; }

 private:
  friend class ModelParser;
  std::string model_key_;
  std::string product_;
  std::string thing_version_;
  bool is_dock_ = false;
  int osd_group_count_ = 1;
  int drc_heartbeat_timeout_s_ = 0;
  std::map<std::string, PropertyDef, std::less<>> properties_;
  std::map<std::string, ServiceDef, std::less<>> services_;
  std::map<std::string, EventDef, std::less<>> events_;
  std::map<std::string, RequestDef, std::less<>> requests_;
  std::map<std::string, DrcMethodDef, std::less<>> drc_down_;
  std::map<std::string, DrcMethodDef, std::less<>> drc_up_;
};

/// Returns the text of a model file given its path relative to the thing_models directory ("3-2-0.json",
/// "common/dock_base.json").
using ModelFileReader = std::function<Result<std::string>(std::string_view relative_path)>;

/// Resolves `extends` of the file at `relative_path` (merge rules in thing_models/FORMAT.md) and returns the
/// resolved model as JSON text.
DOCKLINK_API Result<std::string> resolve_model_json(std::string_view relative_path, const ModelFileReader& read_file);

/// Loads the model embedded in the library at build time, e.g. load_embedded("3-2-0"). kNotFound when the build
/// has no such model.
DOCKLINK_API Result<ThingModel> load_embedded(std::string_view model_key);

/// Loads `path` (a model file) and resolves its `extends` against `search_dir` (the thing_models directory).
DOCKLINK_API Result<ThingModel> load_file(const std::string& path, const std::string& search_dir);

/// Keys of the product models embedded at build time, sorted (e.g. "0-100-0", ..., "3-3-0").
DOCKLINK_API std::vector<std::string> embedded_model_keys();

}  // namespace docklink::thing
