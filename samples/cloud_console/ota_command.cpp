// `ota SN VERSION URL MD5 SIZE`: starts a firmware upgrade of dock SN with one package (ota_create, a normal upgrade)
// and follows its ota_progress events to the end, as `call` does (docs/protocol.md#files).
#include <cctype>
#include <cstdlib>

#include "commands.hpp"
#include "json_write.hpp"

namespace docklink::cloud {

namespace {

bool is_md5_hex(const std::string& text) {
  if (text.size() != 32) return false;
  for (char c : text) {
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

// The package's name as ota_create's file_name: the URL's last path segment, without a query.
std::string file_name_of(const std::string& url) {
  std::string path = url.substr(0, url.find_first_of("?#"));
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

int run_ota(CloudLink& link, Responder* responder, const ConsoleOptions& options, const OtaPackageArgs& package) {
  char* end = nullptr;
  unsigned long long size = std::strtoull(package.size.c_str(), &end, 10);
  if (package.size.empty() || *end != '\0' || size == 0 || !is_md5_hex(package.md5) || package.url.empty() ||
      package.version.empty()) {
    std::fprintf(stderr, "dock-cloud: ota needs a version, a URL, a 32-hex-digit MD5 and a size in bytes > 0\n");
    return kExitUsage;
  }
  samples::JsonBuilder data;
  data.open_array("devices")
      .open_object()
      .str("sn", package.sn)
      .str("product_version", package.version)
      .str("file_url", package.url)
      .str("md5", package.md5)
      .num("file_size", static_cast<std::int64_t>(size))
      .str("file_name", file_name_of(package.url))
      .num("firmware_upgrade_type", 3)  // normal upgrade (docs/protocol.md#quirk-upgrade-type)
      .close_object()
      .close_array();
  return run_call(link, responder, options, package.sn, "ota_create", data.finish());
}

}  // namespace docklink::cloud
