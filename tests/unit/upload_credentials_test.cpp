// Credentials treated as expiring: asked for before their deadline, asked for once after the server refused
// them and retried once, and never a loop when fresh credentials are refused too (a wrong secret).
#include "upload_fixture.hpp"

#include <CppUTest/TestHarness.h>

using namespace docklink::test;
using docklink::transfer::CredentialsReason;
using docklink::transfer::ExpiringCredentials;
using docklink::transfer::TransferError;

namespace {

std::string key_id_of(const docklink::port::HttpRequest& request) {
  std::string authorization = request_header(request, "Authorization").value_or("");
  std::size_t start = authorization.find("Credential=") + 11;
  return authorization.substr(start, authorization.find('/', start) - start);
}

}  // namespace

TEST_GROUP(UploadCredentials){};

TEST(UploadCredentials, WrongSecretIsRefreshedOnceThenFailsWithoutLooping) {
  UploadWorld world;
  auto request = world.request_for(1000);
  for (int i = 0; i < 5; ++i) world.http.then(s3_error(403, "SignatureDoesNotMatch"));
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kCredentials);
  LONGS_EQUAL(403, result.http_status);
  STRCMP_EQUAL("SignatureDoesNotMatch", result.s3_error_code.c_str());
  LONGS_EQUAL(2, world.http.requests().size());  // the first try and one retry with fresh credentials
  LONGS_EQUAL(2, world.reasons.size());
  CHECK(world.reasons[1] == CredentialsReason::kRefused);
  LONGS_EQUAL(2, result.credential_requests);
  CHECK(world.waiter.waits.empty());
  CHECK_FALSE(world.log.contains("very-secret-key"));
}

TEST(UploadCredentials, SkewedClockIsRefreshedOnceThenFailsWithTheServersCode) {
  UploadWorld world;
  auto request = world.request_for(1000);
  for (int i = 0; i < 3; ++i) world.http.then(s3_error(403, "RequestTimeTooSkewed"));
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kCredentials);
  STRCMP_EQUAL("RequestTimeTooSkewed", result.s3_error_code.c_str());
  LONGS_EQUAL(2, world.http.requests().size());
  LONGS_EQUAL(1, world.http.pending());
}

TEST(UploadCredentials, SkewedClockSignsWithTheServersDateOnTheRetry) {
  UploadWorld world;  // the manual wall clock reads 2023-11-14 22:13:21 UTC
  auto request = world.request_for(1000);
  auto skewed = s3_error(403, "RequestTimeTooSkewed");
  skewed.headers.push_back({"Date", "Tue, 14 Nov 2023 22:33:21 GMT"});  // the server is 20 minutes ahead
  world.http.then(skewed);
  world.http.then(s3_ok());
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  auto sent = world.http.requests();
  STRCMP_EQUAL("20231114T221321Z", request_header(sent[0], "x-amz-date").value_or("").c_str());
  STRCMP_EQUAL("20231114T223321Z", request_header(sent[1], "x-amz-date").value_or("").c_str());
}

TEST(UploadCredentials, ExpiredTokenIsRefreshedAndTheRequestRetriedWithTheNewKey) {
  UploadWorld world;
  world.hand_out = [](std::size_t call) {
    return ExpiringCredentials{{"KEY" + std::to_string(call), "secret", "token"}, 0};
  };
  auto request = world.request_for(1000);
  world.http.then(s3_error(400, "ExpiredToken"));
  world.http.then(s3_ok({{"ETag", "\"e\""}}));
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  auto sent = world.http.requests();
  LONGS_EQUAL(2, sent.size());
  STRCMP_EQUAL("KEY1", key_id_of(sent[0]).c_str());
  STRCMP_EQUAL("KEY2", key_id_of(sent[1]).c_str());
  CHECK(world.reasons[0] == CredentialsReason::kInitial);
  CHECK(world.reasons[1] == CredentialsReason::kRefused);
}

TEST(UploadCredentials, ExpiredTokenAgainAfterARefreshIsCredentialsExpired) {
  UploadWorld world;
  auto request = world.request_for(1000);
  world.http.then(s3_error(400, "ExpiredToken"));
  world.http.then(s3_error(400, "ExpiredToken"));
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kCredentialsExpired);
  LONGS_EQUAL(2, world.http.requests().size());
}

TEST(UploadCredentials, EachRefusalAfterAnAcceptedRequestEarnsItsOwnRefresh) {
  UploadWorld world;
  auto request = world.request_for(10 * kMiB + 1);
  world.http.then(s3_created());
  world.http.then(s3_part_stored(1));
  world.http.then(s3_error(400, "ExpiredToken"));  // part 2, credentials ran out mid-upload
  world.http.then(s3_part_stored(2));
  world.http.then(s3_error(403, "AccessDenied"));  // part 3
  world.http.then(s3_part_stored(3));
  world.http.then(s3_completed());
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(3, world.reasons.size());
  LONGS_EQUAL(3, result.parts_sent);
}

TEST(UploadCredentials, CredentialsReachingTheirDeadlineMidUploadAreRenewedBeforeTheNextRequest) {
  UploadWorld world;
  const std::int64_t start = world.clock.wall_ms();
  world.hand_out = [start](std::size_t call) {
    // Ten minutes, then an hour.
    std::int64_t expire = call == 1 ? start + 600'000 : start + 3'600'000;
    return ExpiringCredentials{{"KEY" + std::to_string(call), "secret", "token"}, expire};
  };
  auto request = world.request_for(5 * kMiB + 1);
  world.http.then(s3_created());
  world.http.then([&](const docklink::port::HttpRequest&) {
    world.clock.advance(6 * 60'000);  // part 1 took six minutes: four are left, less than the margin
    return s3_part_stored(1);
  });
  world.http.then(s3_part_stored(2));
  world.http.then(s3_completed());
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(2, world.reasons.size());
  CHECK(world.reasons[1] == CredentialsReason::kExpiring);
  auto sent = world.http.requests();
  STRCMP_EQUAL("KEY1", key_id_of(sent[1]).c_str());
  STRCMP_EQUAL("KEY2", key_id_of(sent[2]).c_str());
}

TEST(UploadCredentials, PastTheirDeadlineCredentialsMustBeRenewed) {
  UploadWorld world;
  const std::int64_t start = world.clock.wall_ms();
  world.hand_out = [start](std::size_t call) {
    return ExpiringCredentials{{"KEY" + std::to_string(call), "secret", "token"},
                               start + 60'000 * static_cast<std::int64_t>(call)};
  };
  auto request = world.request_for(5 * kMiB + 1);
  world.http.then(s3_created());
  world.http.then([&](const docklink::port::HttpRequest&) {
    world.clock.advance(90'000);  // past the first deadline, before the second
    return s3_part_stored(1);
  });
  world.http.then(s3_part_stored(2));
  world.http.then(s3_completed());
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(2, world.reasons.size());
  STRCMP_EQUAL("KEY2", key_id_of(world.http.requests()[2]).c_str());
}

TEST(UploadCredentials, ShortLivedCredentialsAreUsedUntilTheirDeadlineWithoutAskingPerRequest) {
  UploadWorld world;
  const std::int64_t now = world.clock.wall_ms();
  world.hand_out = [now](std::size_t) { return ExpiringCredentials{{"KEY", "secret", "token"}, now + 60'000}; };
  auto request = world.request_for(10 * kMiB + 1);
  world.script_multipart(3);
  auto result = world.uploader().upload(request);
  CHECK_TEXT(result.status.is_ok(), result.status.to_string().c_str());
  LONGS_EQUAL(1, world.reasons.size());  // inside the margin from the start: the best there is
}

TEST(UploadCredentials, ProviderHandingOutExpiredCredentialsStopsBeforeAnyRequest) {
  UploadWorld world;
  const std::int64_t now = world.clock.wall_ms();
  world.hand_out = [now](std::size_t) { return ExpiringCredentials{{"KEY", "secret", "token"}, now - 1000}; };
  auto request = world.request_for(1000);
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kCredentialsExpired);
  LONGS_EQUAL(0, world.http.requests().size());
}

TEST(UploadCredentials, ProviderFailureIsACredentialsError) {
  UploadWorld world;
  auto request = world.request_for(1000);
  request.credentials = [](CredentialsReason) -> docklink::Result<ExpiringCredentials> {
    return docklink::Status(docklink::StatusCode::kTimeout, "storage_config_get unanswered");
  };
  auto result = world.uploader().upload(request);
  CHECK(result.error == TransferError::kCredentials);
  CHECK(result.status.message().find("storage_config_get unanswered") != std::string::npos);
  LONGS_EQUAL(0, world.http.requests().size());
}
