// The server's Date header, read to sign with the server's time after RequestTimeTooSkewed.
#include "transfer/upload_http_date.hpp"

#include <CppUTest/TestHarness.h>

using docklink::transfer::detail::parse_http_date_ms;

TEST_GROUP(UploadHttpDate){};

TEST(UploadHttpDate, ImfFixdateIsEpochMilliseconds) {
  CHECK(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777000LL);  // RFC 9110's example
  CHECK(parse_http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT") == 0);
  CHECK(parse_http_date_ms("Tue, 29 Feb 2028 23:59:59 GMT") == 1835481599000LL);  // a leap day
  CHECK(parse_http_date_ms("Tue, 14 Nov 2023 22:13:20 GMT") == 1700000000000LL);
}

TEST(UploadHttpDate, OtherFormsAndDamagedTextAreRefused) {
  const char* refused[] = {"",
                           "Sunday, 06-Nov-94 08:49:37 GMT",  // RFC 850
                           "Sun Nov  6 08:49:37 1994",        // asctime
                           "Sun, 06 Nov 1994 08:49:37 UTC",
                           "Sun, 06 Xyz 1994 08:49:37 GMT",
                           "Sun, 32 Nov 1994 08:49:37 GMT",
                           "Sun, 06 Nov 1969 08:49:37 GMT",
                           "Sun, 06 Nov 1994 24:49:37 GMT",
                           "Sun, 06 Nov 1994 08:4a:37 GMT",
                           "Sun, 06 Nov 1994 08:49:37 GMT "};
  for (const char* text : refused) CHECK_FALSE_TEXT(parse_http_date_ms(text).has_value(), text);
}
