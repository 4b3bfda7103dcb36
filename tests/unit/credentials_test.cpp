// StaticCredentials and the IoTDA HMAC-SHA256 signed credentials at a fixed time.
#include <cstdint>
#include <string>

#include "docklink/ports/credentials.hpp"

#include <CppUTest/TestHarness.h>

using docklink::StatusCode;
using docklink::ports::iotda_timestamp;
using docklink::ports::IotdaSignedCredentials;
using docklink::ports::StaticCredentials;

namespace {

// 1700000000 s = 2023-11-14T22:13:20Z (`date -u -d @1700000000`).
constexpr std::int64_t kFixedWallMs = 1700000000123;

class SettableClock : public docklink::port::Clock {
 public:
  std::int64_t monotonic_ms() const override { return 0; }
  std::int64_t wall_ms() const override { return wall_ms_; }
  std::int64_t wall_ms_ = kFixedWallMs;
};

}  // namespace

TEST_GROUP(StaticCredentials){};

TEST(StaticCredentials, HandsOutTheFixedValues) {
  StaticCredentials provider("DOCK0001", "dock-user", "dock-pass");
  auto credentials = provider.credentials();
  CHECK_TRUE(credentials.is_ok());
  STRCMP_EQUAL("DOCK0001", credentials.value().client_id.c_str());
  STRCMP_EQUAL("dock-user", credentials.value().username.c_str());
  STRCMP_EQUAL("dock-pass", credentials.value().password.c_str());
}

TEST(StaticCredentials, EmptyClientIdIsRejected) {
  StaticCredentials provider("");
  CHECK_TRUE(provider.credentials().status().code() == StatusCode::kInvalidArgument);
}

TEST_GROUP(IotdaCredentials) { SettableClock clock; };

TEST(IotdaCredentials, SignsWithTheUtcHour) {
  IotdaSignedCredentials provider("DOCK0001", "top-secret-value", clock);
  auto credentials = provider.credentials();
  CHECK_TRUE(credentials.is_ok());
  STRCMP_EQUAL("DOCK0001_0_1_2023111422", credentials.value().client_id.c_str());
  STRCMP_EQUAL("DOCK0001", credentials.value().username.c_str());
  // printf top-secret-value | openssl dgst -sha256 -hmac 2023111422
  STRCMP_EQUAL("148b5749dae5be58bb245be1e9eb475adbf108e7fe6ef1d12057e3d14b3f2e0d",
               credentials.value().password.c_str());
}

TEST(IotdaCredentials, NextHourGivesNewClientIdAndPassword) {
  IotdaSignedCredentials provider("DOCK0001", "top-secret-value", clock);
  clock.wall_ms_ = 1700002799999;  // 22:59:59.999
  STRCMP_EQUAL("DOCK0001_0_1_2023111422", provider.credentials().value().client_id.c_str());
  clock.wall_ms_ = 1700002800000;  // 23:00:00.000
  auto next = provider.credentials();
  STRCMP_EQUAL("DOCK0001_0_1_2023111423", next.value().client_id.c_str());
  CHECK_TRUE(next.value().password != "148b5749dae5be58bb245be1e9eb475adbf108e7fe6ef1d12057e3d14b3f2e0d");
  LONGS_EQUAL(64, next.value().password.size());
}

TEST(IotdaCredentials, TimestampFormat) {
  STRCMP_EQUAL("2023111422", iotda_timestamp(kFixedWallMs).c_str());
  STRCMP_EQUAL("2000022905", iotda_timestamp(951800400000).c_str());  // 2000-02-29T05:00:00Z
  STRCMP_EQUAL("1970010100", iotda_timestamp(0).c_str());
}

TEST(IotdaCredentials, RejectsMissingIdentityOrClockBeforeEpoch) {
  IotdaSignedCredentials no_id("", "secret", clock);
  CHECK_TRUE(no_id.credentials().status().code() == StatusCode::kInvalidArgument);
  IotdaSignedCredentials no_secret("DOCK0001", "", clock);
  CHECK_TRUE(no_secret.credentials().status().code() == StatusCode::kInvalidArgument);
  IotdaSignedCredentials provider("DOCK0001", "secret", clock);
  clock.wall_ms_ = -1;
  CHECK_TRUE(provider.credentials().status().code() == StatusCode::kInvalidArgument);
}

TEST(IotdaCredentials, SecretNeverAppearsInCredentials) {
  IotdaSignedCredentials provider("DOCK0001", "top-secret-value", clock);
  auto credentials = provider.credentials().value();
  CHECK_TRUE(credentials.client_id.find("top-secret") == std::string::npos);
  CHECK_TRUE(credentials.password.find("top-secret") == std::string::npos);
}
