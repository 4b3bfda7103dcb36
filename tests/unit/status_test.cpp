#include "docklink/status.hpp"

#include <CppUTest/TestHarness.h>

using docklink::Result;
using docklink::Status;
using docklink::StatusCode;

TEST_GROUP(Status){};

TEST(Status, DefaultIsOk) {
  Status status;
  CHECK_TRUE(status.is_ok());
  STRCMP_EQUAL("ok", status.to_string().c_str());
}

TEST(Status, ErrorCarriesCodeAndMessage) {
  Status status(StatusCode::kTimeout, "no reply within 3000 ms");
  CHECK_FALSE(status.is_ok());
  STRCMP_EQUAL("timeout: no reply within 3000 ms", status.to_string().c_str());
}

TEST(Status, ResultFromOkStatusIsAnError) {
  Result<int> result{Status()};
  CHECK_FALSE(result.is_ok());
  CHECK(result.status().code() == StatusCode::kInternal);
}

TEST(Status, ResultHoldsValue) {
  Result<int> result{42};
  CHECK_TRUE(result.is_ok());
  LONGS_EQUAL(42, result.value());
}
