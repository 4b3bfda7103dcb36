// Consumer built without CMake:
//   g++ -DDOCKLINK_EXPECTED_VERSION="\"$(pkg-config --modversion docklink)\"" pkgconfig_main.cpp
//       $(pkg-config --cflags --libs docklink)
// Exits 0 only when the installed headers and library agree and work.
#include <cstdio>
#include <cstring>
#include <string>

#include "docklink/status.hpp"
#include "docklink/version.hpp"

int main() {
  const char* version = docklink::version();
  std::printf("docklink %s (pkg-config)\n", version);
  if (std::strcmp(version, DOCKLINK_EXPECTED_VERSION) != 0) {
    std::fprintf(stderr, "version mismatch: library %s, docklink.pc %s\n", version, DOCKLINK_EXPECTED_VERSION);
    return 1;
  }
  // A Result carrying an error: its Status text comes from the library.
  const docklink::Result<int> result(docklink::Status(docklink::StatusCode::kBusy, "uplink window full"));
  const std::string text = result.status().to_string();
  std::printf("result: %s\n", text.c_str());
  if (result.is_ok() || text.find("uplink window full") == std::string::npos) {
    std::fprintf(stderr, "unexpected result text\n");
    return 1;
  }
  return 0;
}
