// Cloud profiles: which cloud a client speaks to (docs/architecture.md#cloud-profiles). A profile holds everything
// that depends on the cloud on the other side of the broker: topics, message shapes, which answer matches which
// message. Handlers, setters, OSD sources, jobs and the offline queue are the same for every profile.
#pragma once

#include <memory>

#include "docklink/export.hpp"

namespace docklink {

namespace detail {
class ProfileBase;
}

/// A cloud profile, chosen when a client is created (ClientOptions::profile). Opaque: the SDK makes the profiles
/// (dji_profile(), iotda::make_profile()), so every one keeps the core's rules. Immutable and thread-safe; one
/// profile may serve any number of clients.
class DOCKLINK_API CloudProfile {
 public:
  virtual ~CloudProfile();
  CloudProfile(const CloudProfile&) = delete;
  CloudProfile& operator=(const CloudProfile&) = delete;

  /// A short name for logs: "dji" or "iotda".
  virtual const char* name() const noexcept = 0;

 private:
  friend class detail::ProfileBase;  // the only kind of profile there is
  CloudProfile() = default;
};

/// The DJI Cloud API profile: the default of every client (a null ClientOptions::profile means this one).
DOCKLINK_API std::shared_ptr<const CloudProfile> dji_profile();

}  // namespace docklink
