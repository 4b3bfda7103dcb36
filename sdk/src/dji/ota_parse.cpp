// Decoding of ota_create data into OtaPackages, with the checks that keep every download verified.
#include <cctype>

#include "docklink/dji/ota_job.hpp"
#include "docklink/result_codes.hpp"
#include "json_read.hpp"
#include "text_rules.hpp"

namespace docklink::dji {
namespace {

using docklink::detail::is_hex_digits;
using docklink::detail::string_member;
using docklink::detail::usable_file_sn;

std::int64_t int_member(const rapidjson::Value& object, const char* name) {
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}

Result<OtaPackage> parse_device(const rapidjson::Value& device) {
  if (!device.IsObject()) return Status(StatusCode::kInvalidArgument, "ota_create: device is not an object");
  OtaPackage package;
  package.sn = string_member(device, "sn");
  package.product_version = string_member(device, "product_version");
  package.file_url = string_member(device, "file_url");
  package.md5 = string_member(device, "md5");
  package.file_name = string_member(device, "file_name");
  package.firmware_upgrade_type = static_cast<int>(int_member(device, "firmware_upgrade_type"));
  std::int64_t size = int_member(device, "file_size");
  if (!usable_file_sn(package.sn)) return Status(StatusCode::kInvalidArgument, "ota_create: missing or unusable sn");
  if (package.file_url.empty()) return package;  // consistency upgrade: nothing to download
  if (!is_hex_digits(package.md5, 32))
    return Status(StatusCode::kInvalidArgument, "ota_create: md5 is not 32 hex digits");
  if (size <= 0) return Status(StatusCode::kInvalidArgument, "ota_create: file_size missing");
  package.file_size = static_cast<std::uint64_t>(size);
  return package;
}

}  // namespace

Result<std::vector<OtaPackage>> parse_ota_create(const rapidjson::Value& data) {
  if (!data.IsObject()) return Status(StatusCode::kInvalidArgument, "ota_create: data is not an object");
  auto devices = data.FindMember("devices");
  if (devices == data.MemberEnd() || !devices->value.IsArray() || devices->value.Empty()) {
    return Status(StatusCode::kInvalidArgument, "ota_create: no devices");
  }
  std::vector<OtaPackage> packages;
  for (const auto& device : devices->value.GetArray()) {
    auto package = parse_device(device);
    if (!package.is_ok()) return package.status();
    packages.push_back(std::move(package).value());
  }
  return packages;
}

std::int32_t ota_result_code(transfer::TransferError error) noexcept {
  using transfer::TransferError;
  switch (error) {
    case TransferError::kNone:
      return result_code::kSuccess;
    case TransferError::kSizeMismatch:
    case TransferError::kDigestMismatch:
      return result_code::kUpgradePackageCorrupt;
    case TransferError::kDiskFull:
      return result_code::kUpgradeStorageFull;
    case TransferError::kFileIo:
      return result_code::kUpgradeInstallFailed;
    default:
      return result_code::kUpgradeDownloadFailed;
  }
}

}  // namespace docklink::dji
