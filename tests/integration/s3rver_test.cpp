// The S3 test server itself, before any upload test trusts it: it must refuse a wrong signature, header-signed
// and pre-signed (a server that accepts anything would let a broken signer pass every upload test), and accept
// the same requests signed with the right secret.
#include <memory>
#include <string>

#include "docklink/ports/curl_http_client.hpp"
#include "docklink/ports/mbedtls_hashing.hpp"
#include "paho_test_support.hpp"  // TempDirectory
#include "s3_test_support.hpp"
#include "transfer/upload_s3_xml.hpp"

// clang-format off
#include "CppUTest/TestHarness.h"
// clang-format on

using namespace docklink;

namespace {

std::string error_code(const test::RecordingSink& answer) { return transfer::detail::parse_s3_error(answer.body).code; }

}  // namespace

TEST_GROUP(S3rverFixture) {
  test::TempDirectory directory;
  std::unique_ptr<test::S3rverProcess> server;
  std::unique_ptr<ports::CurlHttpClient> http;
  ports::MbedtlsHashing hashing;

  void setup() override {
    if (test::S3rverProcess::missing()) TEST_EXIT;
    server = std::make_unique<test::S3rverProcess>(directory.file("s3"));
    CHECK_TEXT(server->running(), server->error().c_str());
    auto created = ports::CurlHttpClient::create({});
    CHECK_TEXT(created.is_ok(), created.status().to_string().c_str());
    http = std::move(created).value();
  }
  void teardown() override { server.reset(); }
};

TEST(S3rverFixture, RefusesAHeaderSignatureMadeWithAWrongSecret) {
  auto wrong = test::s3rver_credentials(*server, "not-the-secret");
  auto refused = test::s3_send_signed(*http, hashing, *server, wrong, "PUT", "refused.txt", "payload");
  LONGS_EQUAL(403, refused.status);
  STRCMP_EQUAL("SignatureDoesNotMatch", error_code(refused).c_str());
  auto absent = test::s3_send_signed(*http, hashing, *server, test::s3rver_credentials(*server), "GET", "refused.txt");
  LONGS_EQUAL(404, absent.status);  // the refused PUT stored nothing

  auto stored = test::s3_send_signed(*http, hashing, *server, test::s3rver_credentials(*server), "PUT", "ok.txt", "x");
  LONGS_EQUAL(200, stored.status);
  auto read = test::s3_send_signed(*http, hashing, *server, test::s3rver_credentials(*server), "GET", "ok.txt");
  LONGS_EQUAL(200, read.status);
  STRCMP_EQUAL("x", read.body.c_str());
}

TEST(S3rverFixture, RefusesAPresignedUrlMadeWithAWrongSecret) {
  auto wrong = test::s3rver_credentials(*server, "not-the-secret");
  auto refused =
      test::s3_send_url(*http, "PUT", test::s3_presigned_url(hashing, *server, wrong, "PUT", "p.txt"), "payload");
  LONGS_EQUAL(403, refused.status);
  STRCMP_EQUAL("SignatureDoesNotMatch", error_code(refused).c_str());

  auto right = test::s3rver_credentials(*server);
  auto stored =
      test::s3_send_url(*http, "PUT", test::s3_presigned_url(hashing, *server, right, "PUT", "p.txt"), "payload");
  LONGS_EQUAL(200, stored.status);
  auto read = test::s3_send_url(*http, "GET", test::s3_presigned_url(hashing, *server, right, "GET", "p.txt"));
  LONGS_EQUAL(200, read.status);
  STRCMP_EQUAL("payload", read.body.c_str());
}

TEST(S3rverFixture, RefusesAnUnknownAccessKey) {
  transfer::S3Credentials stranger{"SOMEONEELSE", "secret", ""};
  auto refused = test::s3_send_signed(*http, hashing, *server, stranger, "PUT", "k.txt", "payload");
  LONGS_EQUAL(403, refused.status);
  STRCMP_EQUAL("InvalidAccessKeyId", error_code(refused).c_str());
}
