// The credentials conformance suite on the Linux providers (ports/mbedtls/credentials.cpp): StaticCredentials,
// IotdaSignedCredentials and IotdaCertificateCredentials, the IoTDA ones on a clock fixed in the hour of IoTDA's
// published test vector.
#include <cstdint>

#include "credentials_conformance.hpp"
#include "docklink/ports/credentials.hpp"

namespace {

using docklink::port::Credentials;

class StaticCredentialsHarness : public docklink::conformance::CredentialsHarness {
 public:
  docklink::port::CredentialsProvider& provider() override { return provider_; }
  Credentials expected() override { return {"dock-sn-1", "dock-user", "dock-password"}; }
  docklink::port::CredentialsProvider* misconfigured() override { return &no_client_id_; }

 private:
  docklink::ports::StaticCredentials provider_{"dock-sn-1", "dock-user", "dock-password"};
  docklink::ports::StaticCredentials no_client_id_{"", "dock-user", "dock-password"};
};

// 2025-04-14T01:22:33Z, in the hour of IoTDA's published example (device "D1", secret "12345678").
class FixedClock : public docklink::port::Clock {
 public:
  std::int64_t monotonic_ms() const override { return 1000; }
  std::int64_t wall_ms() const override { return 1'744'593'753'000; }
};

class IotdaCredentialsHarness : public docklink::conformance::CredentialsHarness {
 public:
  docklink::port::CredentialsProvider& provider() override { return provider_; }
  Credentials expected() override {
    return {"D1_0_1_2025041401", "D1", "c75150e6cb841417396819e4d2ee4358a416344a03a083e3a8567074ddec820a"};
  }
  docklink::port::CredentialsProvider* misconfigured() override { return &no_secret_; }

 private:
  FixedClock clock_;
  docklink::ports::IotdaSignedCredentials provider_{"D1", "12345678", clock_};
  docklink::ports::IotdaSignedCredentials no_secret_{"D1", "", clock_};
};

// The certificate scheme: the same client id form (sign type 0) and username, no password.
class IotdaCertificateCredentialsHarness : public docklink::conformance::CredentialsHarness {
 public:
  docklink::port::CredentialsProvider& provider() override { return provider_; }
  Credentials expected() override { return {"D1_0_0_2025041401", "D1", ""}; }
  docklink::port::CredentialsProvider* misconfigured() override { return &bad_device_id_; }

 private:
  FixedClock clock_;
  docklink::ports::IotdaCertificateCredentials provider_{"D1", clock_};
  docklink::ports::IotdaCertificateCredentials bad_device_id_{"gw/D1", clock_};
};

}  // namespace

TEST_GROUP(StaticCredentialsConformance) { StaticCredentialsHarness harness; };
DOCKLINK_CREDENTIALS_CONFORMANCE_TESTS(StaticCredentialsConformance, harness)

TEST_GROUP(IotdaSignedCredentialsConformance) { IotdaCredentialsHarness harness; };
DOCKLINK_CREDENTIALS_CONFORMANCE_TESTS(IotdaSignedCredentialsConformance, harness)

TEST_GROUP(IotdaCertificateCredentialsConformance) { IotdaCertificateCredentialsHarness harness; };
DOCKLINK_CREDENTIALS_CONFORMANCE_TESTS(IotdaCertificateCredentialsConformance, harness)
