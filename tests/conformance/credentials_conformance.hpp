// The credentials conformance suite: what port::CredentialsProvider (docklink/port/credentials.hpp) promises a
// transport, written once and run against every provider. A transport asks before each connect attempt, on its own
// thread, so a provider must answer every time, also from several threads at once, and report a configuration it
// cannot sign with as an error instead of throwing. A port proves itself with one file:
//
//   class MyCredentialsHarness : public docklink::conformance::CredentialsHarness { ... };
//   TEST_GROUP(MyCredentialsConformance) { MyCredentialsHarness harness; };
//   DOCKLINK_CREDENTIALS_CONFORMANCE_TESTS(MyCredentialsConformance, harness)
//
// (see credentials_conformance_test.cpp).
#pragma once

#include "docklink/port/credentials.hpp"

#include <CppUTest/TestHarness.h>

namespace docklink::conformance {

/// A provider under test, what it must give, and (when it has one) a configuration it must refuse.
class CredentialsHarness {
 public:
  virtual ~CredentialsHarness() = default;
  /// The provider under test, configured correctly.
  virtual port::CredentialsProvider& provider() = 0;
  /// The credentials its documentation says it gives now (its clock, if it has one, does not move).
  virtual port::Credentials expected() = 0;
  /// A provider of the same kind configured so that it cannot give credentials; nullptr when none exists.
  virtual port::CredentialsProvider* misconfigured() { return nullptr; }
};

/// credentials() is ok and gives the expected client id, username and password.
void credentials_gives_the_expected(CredentialsHarness& harness);
/// Asked again (before every connect attempt), it answers again, the same while nothing changed.
void credentials_answers_every_attempt(CredentialsHarness& harness);
/// Four threads asking at once all get the expected credentials.
void credentials_concurrent_calls_agree(CredentialsHarness& harness);
/// A misconfigured provider returns an error (with a message) and does not throw.
void credentials_misconfiguration_is_an_error(CredentialsHarness& harness);

}  // namespace docklink::conformance

/// Defines one CppUTest TEST per credentials conformance check in `group`, each on `harness`.
#define DOCKLINK_CREDENTIALS_CONFORMANCE_TESTS(group, harness)                                              \
  TEST(group, GivesTheExpected) { docklink::conformance::credentials_gives_the_expected(harness); }         \
  TEST(group, AnswersEveryAttempt) { docklink::conformance::credentials_answers_every_attempt(harness); }   \
  TEST(group, ConcurrentCallsAgree) { docklink::conformance::credentials_concurrent_calls_agree(harness); } \
  TEST(group, MisconfigurationIsAnError) { docklink::conformance::credentials_misconfiguration_is_an_error(harness); }
