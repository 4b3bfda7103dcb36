// IoTDA signed credentials against the platform's published test vector, both sign types, the failure modes
// other SDKs had (a MAC byte 0x00, key and message swapped), the certificate scheme's credentials (no password),
// the checks both schemes share, event_time text and the keep-alive clamp.
#include <cctype>
#include <chrono>
#include <cstdint>
#include <string>

#include "docklink/iotda/connect.hpp"
#include "docklink/ports/credentials.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::ports::IotdaCertificateCredentials;
using docklink::ports::IotdaSignedCredentials;
using docklink::ports::IotdaSignType;
using docklink::ports::IotdaTimeForm;

namespace {

// 2025-04-14T01:22:33Z (`date -u -d "2025-04-14 01:22:33" +%s`), in the hour of IoTDA's published test vector.
constexpr std::int64_t kVectorHourMs = 1744593753000;

class FixedClock : public docklink::port::Clock {
 public:
  std::int64_t monotonic_ms() const override { return 0; }
  std::int64_t wall_ms() const override { return wall_ms_; }
  std::int64_t wall_ms_ = kVectorHourMs;
};

bool is_lower_hex(const std::string& text) {
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

}  // namespace

TEST_GROUP(IotdaSignedCredentials) { FixedClock clock; };

// Secret "12345678" at hour 2025041401: the password IoTDA's documentation prints for this input.
TEST(IotdaSignedCredentials, PublishedTestVector) {
  IotdaSignedCredentials provider("D1", "12345678", clock);
  auto credentials = provider.credentials();
  CHECK_TEXT(credentials.is_ok(), credentials.status().message().c_str());
  STRCMP_EQUAL("D1_0_1_2025041401", credentials.value().client_id.c_str());
  STRCMP_EQUAL("D1", credentials.value().username.c_str());
  STRCMP_EQUAL("c75150e6cb841417396819e4d2ee4358a416344a03a083e3a8567074ddec820a",
               credentials.value().password.c_str());
  // Key and message swapped would give this value instead.
  CHECK(credentials.value().password != "75e7262705ff85203403e600f652133f9cac4e4d1400b44f3582e778a97f6c36");
}

TEST(IotdaSignedCredentials, SignTypeZeroChangesOnlyTheClientId) {
  IotdaSignedCredentials provider("D1", "12345678", clock, IotdaSignType::kPasswordOnly);
  auto credentials = provider.credentials();
  CHECK(credentials.is_ok());
  STRCMP_EQUAL("D1_0_0_2025041401", credentials.value().client_id.c_str());
  STRCMP_EQUAL("c75150e6cb841417396819e4d2ee4358a416344a03a083e3a8567074ddec820a",
               credentials.value().password.c_str());
}

// HMAC-SHA256(key "2025041401", "secret-69") has 0x00 as its second byte (python3 hmac): a MAC handled as a C
// string would come out short or make the signer move to another hour.
TEST(IotdaSignedCredentials, MacWithAZeroByteIsHexEncodedWhole) {
  IotdaSignedCredentials provider("D1", "secret-69", clock);
  auto credentials = provider.credentials();
  CHECK(credentials.is_ok());
  STRCMP_EQUAL("D1_0_1_2025041401", credentials.value().client_id.c_str());
  STRCMP_EQUAL("3000ba0d4f52c6c64ee512c3ab0c1ceb42f4385c78f4d3bb1328339b0a4ff475",
               credentials.value().password.c_str());
}

TEST(IotdaSignedCredentials, EveryAttemptSignsTheCurrentHour) {
  IotdaSignedCredentials provider("D1", "12345678", clock, IotdaSignType::kPasswordOnly);
  const std::string first = provider.credentials().value().password;
  clock.wall_ms_ = kVectorHourMs + 3600 * 1000;  // the next hour
  auto next = provider.credentials();
  STRCMP_EQUAL("D1_0_0_2025041402", next.value().client_id.c_str());
  CHECK(next.value().password != first);
  LONGS_EQUAL(64, next.value().password.size());
  CHECK(is_lower_hex(next.value().password));
}

TEST(IotdaSignedCredentials, RefusesDeviceIdsIotdaWouldRefuse) {
  IotdaSignedCredentials slash("gw/1", "secret", clock);
  CHECK(slash.credentials().status().code() == StatusCode::kInvalidArgument);
  IotdaSignedCredentials too_long(std::string(docklink::defaults::kIotdaMaxDeviceIdLength + 1, 'd'), "s", clock);
  CHECK(too_long.credentials().status().code() == StatusCode::kInvalidArgument);
  IotdaSignedCredentials product_node("5f052ac562369102d42b0fb6_DOCK-1", "secret", clock);
  CHECK(product_node.credentials().is_ok());
}

TEST_GROUP(IotdaCertificateCredentials) { FixedClock clock; };

// The certificate authenticates the device: the CONNECT carries the secret scheme's client id (sign type 0) and
// username, and no password at all.
TEST(IotdaCertificateCredentials, ClientIdOfTheHourUsernameIsTheDeviceIdNoPassword) {
  IotdaCertificateCredentials provider("5f052ac562369102d42b0fb6_DOCK-1", clock);
  auto credentials = provider.credentials();
  CHECK_TEXT(credentials.is_ok(), credentials.status().message().c_str());
  STRCMP_EQUAL("5f052ac562369102d42b0fb6_DOCK-1_0_0_2025041401", credentials.value().client_id.c_str());
  STRCMP_EQUAL("5f052ac562369102d42b0fb6_DOCK-1", credentials.value().username.c_str());
  CHECK_TRUE(credentials.value().password.empty());
}

TEST(IotdaCertificateCredentials, EveryAttemptCarriesTheCurrentHour) {
  IotdaCertificateCredentials provider("D1", clock);
  STRCMP_EQUAL("D1_0_0_2025041401", provider.credentials().value().client_id.c_str());
  clock.wall_ms_ = kVectorHourMs + 3600 * 1000;  // the next hour
  STRCMP_EQUAL("D1_0_0_2025041402", provider.credentials().value().client_id.c_str());
  clock.wall_ms_ = 1767225599999;  // 2025-12-31T23:59:59.999Z: the last hour of the year...
  STRCMP_EQUAL("D1_0_0_2025123123", provider.credentials().value().client_id.c_str());
  clock.wall_ms_ += 1;  // ...and one millisecond later the first of the next
  auto next_year = provider.credentials();
  STRCMP_EQUAL("D1_0_0_2026010100", next_year.value().client_id.c_str());
  STRCMP_EQUAL("D1", next_year.value().username.c_str());
  CHECK_TRUE(next_year.value().password.empty());
}

TEST(IotdaCertificateCredentials, RefusesDeviceIdsIotdaWouldRefuse) {
  IotdaCertificateCredentials empty("", clock);
  CHECK(empty.credentials().status().code() == StatusCode::kInvalidArgument);
  IotdaCertificateCredentials slash("gw/1", clock);
  auto refused = slash.credentials();
  CHECK(refused.status().code() == StatusCode::kInvalidArgument);
  CHECK_TEXT(refused.status().message().find("IoTDA") != std::string::npos, refused.status().message().c_str());
  IotdaCertificateCredentials too_long(std::string(docklink::defaults::kIotdaMaxDeviceIdLength + 1, 'd'), clock);
  CHECK(too_long.credentials().status().code() == StatusCode::kInvalidArgument);
  IotdaCertificateCredentials longest(std::string(docklink::defaults::kIotdaMaxDeviceIdLength, 'd'), clock);
  CHECK(longest.credentials().is_ok());
}

TEST(IotdaCertificateCredentials, RefusesAWallClockBefore1970) {
  clock.wall_ms_ = -1;
  IotdaCertificateCredentials provider("D1", clock);
  CHECK(provider.credentials().status().code() == StatusCode::kInvalidArgument);
}

TEST_GROUP(IotdaCredentialChecks) { FixedClock clock; };

// The two schemes share their device id and clock checks, so a refusal reads the same whichever one is configured.
TEST(IotdaCredentialChecks, BothSchemesRefuseABadDeviceIdAndAClockBefore1970InTheSameWords) {
  const docklink::Status signed_id = IotdaSignedCredentials("gw/1", "secret", clock).credentials().status();
  const docklink::Status certificate_id = IotdaCertificateCredentials("gw/1", clock).credentials().status();
  CHECK(signed_id.code() == StatusCode::kInvalidArgument);
  CHECK(certificate_id.code() == StatusCode::kInvalidArgument);
  STRCMP_EQUAL(signed_id.message().c_str(), certificate_id.message().c_str());
  clock.wall_ms_ = -1;
  const docklink::Status signed_clock = IotdaSignedCredentials("D1", "secret", clock).credentials().status();
  const docklink::Status certificate_clock = IotdaCertificateCredentials("D1", clock).credentials().status();
  CHECK(signed_clock.code() == StatusCode::kInvalidArgument);
  STRCMP_EQUAL("wall clock is before 1970; no IoTDA timestamp", signed_clock.message().c_str());
  STRCMP_EQUAL("wall clock is before 1970; no IoTDA timestamp", certificate_clock.message().c_str());
}

TEST_GROUP(IotdaTime){};

TEST(IotdaTime, EventTimeForms) {
  STRCMP_EQUAL("20250414T012233Z", docklink::ports::iotda_event_time(kVectorHourMs, IotdaTimeForm::kCompact).c_str());
  STRCMP_EQUAL("2025-04-14T01:22:33.120Z",
               docklink::ports::iotda_event_time(kVectorHourMs + 120, IotdaTimeForm::kMilliseconds).c_str());
  STRCMP_EQUAL("1970-01-01T00:00:00.000Z", docklink::ports::iotda_event_time(0, IotdaTimeForm::kMilliseconds).c_str());
}

TEST(IotdaTime, KeepAliveIsClampedIntoTheRangeIotdaAccepts) {
  using docklink::iotda::clamp_keep_alive;
  using std::chrono::seconds;
  LONGS_EQUAL(30, clamp_keep_alive(seconds(0)).count());
  LONGS_EQUAL(30, clamp_keep_alive(seconds(29)).count());
  LONGS_EQUAL(30, clamp_keep_alive(seconds(30)).count());
  LONGS_EQUAL(120, clamp_keep_alive(docklink::iotda::kRecommendedKeepAlive).count());
  LONGS_EQUAL(1200, clamp_keep_alive(seconds(1200)).count());
  LONGS_EQUAL(1200, clamp_keep_alive(seconds(1201)).count());
  LONGS_EQUAL(30, clamp_keep_alive(seconds(-5)).count());
}
