// Credentials conformance checks.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "credentials_conformance.hpp"  // after the standard headers: CppUTest's leak detector redefines `new`

namespace docklink::conformance {

namespace {

bool same(const port::Credentials& a, const port::Credentials& b) {
  return a.client_id == b.client_id && a.username == b.username && a.password == b.password;
}

void check_expected(const port::Credentials& expected, const Result<port::Credentials>& given) {
  CHECK_TRUE_TEXT(given.is_ok(), given.status().to_string().c_str());
  STRCMP_EQUAL(expected.client_id.c_str(), given.value().client_id.c_str());
  STRCMP_EQUAL(expected.username.c_str(), given.value().username.c_str());
  // The password is compared, never printed: a failure shows only that it differs.
  CHECK_TRUE_TEXT(expected.password == given.value().password, "the password differs from the expected one");
}

}  // namespace

void credentials_gives_the_expected(CredentialsHarness& harness) {
  check_expected(harness.expected(), harness.provider().credentials());
}

void credentials_answers_every_attempt(CredentialsHarness& harness) {
  const port::Credentials expected = harness.expected();
  for (int attempt = 0; attempt < 3; ++attempt) check_expected(expected, harness.provider().credentials());
}

void credentials_concurrent_calls_agree(CredentialsHarness& harness) {
  const port::Credentials expected = harness.expected();
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto given = harness.provider().credentials();
        if (!given.is_ok() || !same(expected, given.value())) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  LONGS_EQUAL(0, wrong.load());
}

void credentials_misconfiguration_is_an_error(CredentialsHarness& harness) {
  port::CredentialsProvider* provider = harness.misconfigured();
  if (provider == nullptr) return;  // nothing to misconfigure
  bool threw = false;
  Status status;
  try {
    status = provider->credentials().status();
  } catch (...) {
    threw = true;
  }
  CHECK_FALSE_TEXT(threw, "credentials() threw");
  CHECK_FALSE(status.is_ok());
  CHECK_FALSE(status.message().empty());
}

}  // namespace docklink::conformance
