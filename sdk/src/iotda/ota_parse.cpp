// Decoding of IoTDA's firmware/software upgrade events into OtaPackages, and the result codes of their failures.
#include <cctype>

#include "docklink/iotda/events.hpp"
#include "docklink/iotda/ota.hpp"
#include "json_read.hpp"
#include "text_rules.hpp"

namespace docklink::iotda {
namespace {

using docklink::detail::is_hex_digits;
using docklink::detail::is_http_url;
using docklink::detail::string_member;
using docklink::detail::usable_file_sn;

Status invalid(const char* why) { return Status(StatusCode::kInvalidArgument, why); }

/// The kind of upgrade an event type asks for: 0 none, 1 firmware, 2 software.
int upgrade_kind(std::string_view type) {
  if (type == event_type::kFirmwareUpgrade || type == event_type::kFirmwareUpgradeV2) return 1;
  if (type == event_type::kSoftwareUpgrade || type == event_type::kSoftwareUpgradeV2) return 2;
  return 0;
}

}  // namespace

bool sign_is_valid(std::string_view sign) noexcept { return is_hex_digits(sign, 64); }

Result<OtaPackage> parse_upgrade(std::string_view device_sn, std::string_view event_type,
                                 const rapidjson::Value& paras) {
  const int kind = upgrade_kind(event_type);
  if (kind == 0) return invalid("$ota: not an upgrade event");
  if (!paras.IsObject()) return invalid("$ota: paras is not an object");
  if (!usable_file_sn(device_sn)) return invalid("$ota: the device's SN cannot name a file");
  OtaPackage package;
  package.device_sn = std::string(device_sn);
  package.software = kind == 2;
  package.version = string_member(paras, "version");
  package.url = string_member(paras, "url");
  package.access_token = string_member(paras, "access_token");
  package.sign = string_member(paras, "sign");
  package.file_name = string_member(paras, "file_name");
  package.task_id = string_member(paras, "task_id");
  package.custom_info = string_member(paras, "custom_info");
  if (package.version.empty()) return invalid("$ota: version missing");
  if (!is_http_url(package.url)) return invalid("$ota: url missing or not http(s)");
  auto size = paras.FindMember("file_size");
  if (size != paras.MemberEnd()) {
    if (!size->value.IsUint64()) return invalid("$ota: file_size is not a byte count");
    package.file_size = size->value.GetUint64();
  }
  return package;
}

std::int32_t ota_result_code(transfer::TransferError error) noexcept {
  using transfer::TransferError;
  switch (error) {
    case TransferError::kNone:
      return ota_result::kSuccess;
    case TransferError::kSizeMismatch:
    case TransferError::kDigestMismatch:
      return ota_result::kVerifyFailed;
    case TransferError::kDiskFull:
      return ota_result::kNoStorage;
    case TransferError::kInvalidRequest:
    case TransferError::kFileIo:
      return ota_result::kInternalError;
    default:  // network, TLS, HTTP status, refused token, timeout: the package could not be fetched
      return ota_result::kDownloadTimeout;
  }
}

}  // namespace docklink::iotda
