// Consumer built with CMake: find_package(DockLink) + DockLink::docklink (or ::docklink_static). Exits 0 only
// when the installed headers and library agree and work.
#include <cstdio>
#include <cstring>
#include <string>

#include "docklink/status.hpp"
#include "docklink/version.hpp"

int main() {
  const char* version = docklink::version();
  std::printf("docklink %s (find_package)\n", version);
  if (std::strcmp(version, DOCKLINK_EXPECTED_VERSION) != 0) {
    std::fprintf(stderr, "version mismatch: library %s, package %s\n", version, DOCKLINK_EXPECTED_VERSION);
    return 1;
  }
  // Status::to_string() is defined in the library, so this also proves the link.
  const docklink::Status status(docklink::StatusCode::kTimeout, "no reply from the cloud");
  const std::string text = status.to_string();
  std::printf("status: %s\n", text.c_str());
  if (status.is_ok() || text.find("no reply from the cloud") == std::string::npos) {
    std::fprintf(stderr, "unexpected status text\n");
    return 1;
  }
  return 0;
}
